package dev.portcullis.proxy.exchange;

import dev.portcullis.config.route.Route;
import dev.portcullis.proxy.signin.SignInServices;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The forward-auth answer for an allowed request: {@code 200} with no body, carrying what the
 * front proxy copies to the upstream — {@code X-Pomerium-Jwt-Assertion} and the
 * {@code jwt_claims_headers} for a signed-in user (unless the route sets
 * {@code pass_identity_headers: false}), with {@code forward_auth_identity_headers} also
 * {@code Remote-*} and {@code X-Auth-Request-*} — and the request's W3C {@code traceparent}
 * (and {@code tracestate}) — with tracing on, this request's span's — so that the front proxy's trace continues.
 */
final class ForwardAuthAnswer {
    private ForwardAuthAnswer() {}

    static FullHttpResponse allowed(ByteBufAllocator alloc, RequestContext rc, Route route, SignInServices signIn,
            boolean toolHeaders) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                alloc.buffer(0));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        rc.session().filter(session -> route.passIdentityHeaders()).ifPresent(session -> {
            signIn.identityHeaders().forUpstream(session, rc.host().authority()).forEach(headers::set);
            if (toolHeaders) {
                signIn.identityHeaders().toolHeaders(session).forEach(headers::set);
            }
        });
        if (rc.trace().active()) {
            rc.trace().injectAnswer(headers);
        } else {
            copy(rc, headers, "traceparent");
            copy(rc, headers, "tracestate");
        }
        return response;
    }

    private static void copy(RequestContext rc, HttpHeaders headers, String name) {
        String value = rc.request().headers().get(name);
        if (value != null) {
            headers.set(name, value);
        }
    }
}
