package dev.portcullis.proxy.exchange;

import dev.portcullis.config.route.RequestRewrite;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.UpstreamEndpoint;
import dev.portcullis.proxy.http.HeaderSpelling;
import dev.portcullis.config.route.HeaderTemplate;
import dev.portcullis.proxy.http.HopByHopHeaders;
import dev.portcullis.proxy.stage.Exchange;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Builds the request sent to an upstream endpoint: the route's path rewrites, its Host, its
 * header edits (with Pomerium's {@code ${pomerium.…}} substitutions filled in), hop-by-hop headers removed and the proxy's own {@code X-Forwarded-*} and
 * {@code X-Request-Id} set, and the signed-in user's identity headers, which no route setting can
 * override. Headers the proxy owns, and its credentials, never reach this point (the trust boundary removed them).
 */
final class UpstreamRequestFactory {
    private UpstreamRequestFactory() {}

    /**
     * @param hasBody whether the client's request has a body (its framing was removed with the
     *                hop-by-hop headers, so it is decided before)
     * @param upgrade the {@code Upgrade} value to pass on, or null
     */
    static HttpRequest build(HttpRequest head, Exchange rc, Route route, UpstreamEndpoint endpoint, boolean hasBody,
            String upgrade) {
        HttpHeaders headers = head.headers().copy();
        boolean trailers = headers.containsValue(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS, true);
        HopByHopHeaders.strip(headers);
        headers.remove(HttpHeaderNames.EXPECT);
        headers.remove(HttpHeaderNames.HOST);
        // The route's edits apply to every spelling of a name (X_Secret reaches a WSGI app as X-Secret).
        route.headers().removeRequestHeaders().forEach(name -> HeaderSpelling.removeEvery(headers, name));
        // Pomerium's substitutions (${pomerium.id_token} …) read the request as the client sent it
        HttpHeaders received = head.headers();
        route.headers().setRequestHeaders().forEach((name, template) -> {
            String value = HeaderTemplate.render(template, reference -> rc.substitutions().valueOf(reference,
                    header -> String.join(",", received.getAll(header))));
            HeaderSpelling.removeEvery(headers, name);
            headers.set(name, value);
        });
        rc.identityHeaders().forEach(headers::set);
        KubernetesImpersonation.apply(headers, route.kubernetesServiceAccountToken(), rc.session());

        if (!rc.forwarded().forwardedFor().isEmpty()) {
            headers.set("x-forwarded-for", String.join(", ", rc.forwarded().forwardedFor()));
        }
        headers.set("x-forwarded-proto", rc.forwarded().proto()
                .orElse(rc.connection().tls() ? "https" : route.match().scheme()));
        headers.set("x-forwarded-host", rc.forwarded().host().orElse(rc.host().authority()));
        headers.set("x-request-id", rc.requestId());
        rc.trace().injectUpstream(headers);
        headers.set(HttpHeaderNames.HOST, hostFor(rc, head.headers(), route, endpoint));

        if (upgrade != null) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        }
        if (endpoint.h2c()) {
            if (trailers) {
                headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
            }
        } else if (hasBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String uri = upstreamPath(rc, route, endpoint) + rc.target().query().map(q -> "?" + q).orElse("");
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, head.method(), uri, headers);
    }

    /**
     * The Host the upstream receives, in Pomerium's order: {@code host_rewrite}; else the value of the request header
     * {@code host_rewrite_header} names (the client's Host when that header is absent or empty, as Envoy does); else
     * the request path rewritten by {@code host_path_regex_rewrite_*}; else the client's Host with {@code preserve_host_header} or for a Unix socket endpoint; else the endpoint's own
     * {@code host:port}.
     */
    private static String hostFor(Exchange rc, HttpHeaders received, Route route, UpstreamEndpoint endpoint) {
        RequestRewrite rewrite = route.rewrite();
        if (rewrite.hostRewrite().isPresent()) {
            return rewrite.hostRewrite().get();
        }
        if (rewrite.hostRewriteHeader().isPresent()) {
            String value = received.get(rewrite.hostRewriteHeader().get());
            return value != null && !value.isBlank() ? value.strip() : rc.host().authority();
        }
        if (rewrite.hostPathRegexRewritePattern().isPresent()) {
            String rewritten = rewrite.hostPathRegexRewritePattern().get().matcher(rc.target().path())
                    .replaceAll(rewrite.hostPathRegexRewriteSubstitution().orElseThrow());
            return rewritten.isBlank() ? rc.host().authority() : rewritten;
        }
        if (rewrite.preserveHostHeader() || endpoint.unixSocket()) {
            return rc.host().authority(); // a socket has no host name of its own: Envoy keeps the client's too
        }
        return endpoint.authority();
    }

    /**
     * The path the upstream receives, as Pomerium rewrites it: the route's {@code prefix_rewrite} replaces the
     * matched prefix; else its {@code regex_rewrite_*} applies; else a path in {@code to} is the prefix rewrite
     * ({@code to: http://x/app/} + {@code /foo} → {@code /app/foo}, {@code http://x/app} → {@code /appfoo}).
     */
    static String upstreamPath(Exchange rc, Route route, UpstreamEndpoint endpoint) {
        String path = rc.target().path();
        RequestRewrite rewrite = route.rewrite();
        if (rewrite.prefixRewrite().isPresent()) {
            path = replacePrefix(path, route, rewrite.prefixRewrite().get());
        } else if (rewrite.regexRewritePattern().isPresent()) {
            path = rewrite.regexRewritePattern().get().matcher(path)
                    .replaceAll(rewrite.regexRewriteSubstitution().orElseThrow());
        } else if (!endpoint.basePath().isEmpty()) {
            path = replacePrefix(path, route, endpoint.basePath());
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    private static String replacePrefix(String path, Route route, String replacement) {
        String matched = route.match().path().literalPath();
        return path.startsWith(matched) ? replacement + path.substring(matched.length()) : path;
    }
}
