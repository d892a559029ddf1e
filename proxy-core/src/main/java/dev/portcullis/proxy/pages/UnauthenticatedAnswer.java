package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The 401 for a program (not a browser) that needs to sign in: JSON
 * {@code {"error":"unauthenticated","message","sign_in_url","request_id"}} with
 * {@code WWW-Authenticate: Bearer realm="portcullis"} (RFC 9110 §11.6.1 requires a challenge on
 * every 401; programmatic clients send {@code Authorization: Bearer Pomerium-<jwt>}).
 * Browsers are redirected to sign in instead and never see this answer.
 */
public final class UnauthenticatedAnswer {
    static final String CHALLENGE = "Bearer realm=\"portcullis\"";

    private UnauthenticatedAnswer() {}

    public static FullHttpResponse render(ByteBufAllocator alloc, String requestId, String signInUrl) {
        requireNonNull(requestId, "requestId");
        requireNonNull(signInUrl, "signInUrl");
        ProxyFailure failure = ProxyFailure.UNAUTHENTICATED;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", failure.tag());
        body.put("message", failure.explanation());
        body.put("sign_in_url", signInUrl);
        body.put("request_id", requestId);
        FullHttpResponse response = PageResponse.json(alloc, PageResponse.statusOf(failure), body, requestId);
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, CHALLENGE);
        return response;
    }
}
