package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.http.ProxyCredentials;
import dev.portcullis.proxy.route.RequestHost;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request to one of the proxy's own sign-in endpoints: what the endpoint may look at.
 *
 * @param requestId the id shown on pages and in the log
 * @param method    the request method
 * @param path      the normalised path
 * @param query     the raw query, without {@code ?}, or empty
 * @param host      the host the request was made to
 * @param headers   the request headers (without the headers the proxy owns)
 * @param credentials the proxy's own cookies and authorization the request carried
 * @param body      a form body (at most a few KiB, read only for POST), or empty
 * @param clientAddress the client's IP address (the peer, or the entry a trusted front proxy added)
 */
public record EndpointRequest(String requestId, String method, String path, Optional<String> query, RequestHost host,
        HttpHeaders headers, ProxyCredentials credentials, String body, String clientAddress) {
    public EndpointRequest {
        requireNonNull(requestId, "requestId");
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(query, "query");
        requireNonNull(host, "host");
        requireNonNull(headers, "headers");
        requireNonNull(credentials, "credentials");
        requireNonNull(body, "body");
        requireNonNull(clientAddress, "clientAddress");
    }

    /** The first value of query parameter {@code name}. */
    public Optional<String> parameter(String name) {
        return first(new QueryStringDecoder(query.orElse(""), StandardCharsets.UTF_8, false).parameters(), name);
    }

    /** The first value of form field {@code name} ({@code application/x-www-form-urlencoded} body). */
    public Optional<String> formField(String name) {
        return first(new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters(), name);
    }

    /** The proxy's cookies the request carried, as {@code Cookie} header values. */
    public List<String> cookies() {
        return credentials.cookieHeaders();
    }

    public String accept() {
        return headers.get(HttpHeaderNames.ACCEPT);
    }

    /** A browser: it asks for HTML first, or says nothing about what it accepts. */
    public boolean isBrowser() {
        return BrowserRequests.isBrowser(accept());
    }

    private static Optional<String> first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
