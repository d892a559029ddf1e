package dev.portcullis.proxy.pages;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The 200 "You are signed out" that ends a sign-out when no {@code signout_redirect_url} is set;
 * JSON {@code {"signed_out":true}} when the request prefers it. {@code Cache-Control: no-store}.
 */
public final class SignedOutPage {
    private SignedOutPage() {}

    public static FullHttpResponse render(ByteBufAllocator alloc, String requestId, String accept) {
        requireNonNull(requestId, "requestId");
        if (ErrorPage.prefersJson(accept)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("signed_out", true);
            return PageResponse.json(alloc, HttpResponseStatus.OK, body, requestId);
        }
        String main = "<h1>You are signed out</h1>"
                + "<p>Your session on this site has ended. To come back, open the page you want again and sign in.</p>"
                + PageLayout.requestIdLine(requestId);
        return PageResponse.html(alloc, HttpResponseStatus.OK, PageLayout.document("Signed out", main), requestId);
    }
}
