package dev.portcullis.proxy.pages;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The 200 "You are signed out" that ends a sign-out when no {@code signout_redirect_url} is set;
 * JSON {@code {"signed_out":true}} when the request prefers it. {@code Cache-Control: no-store}. When the
 * sign-out began on a route, a "Sign in again" link leads back to it through sign-in
 * ({@code "sign_in_url"} in JSON).
 */
public final class SignedOutPage {
    private SignedOutPage() {}

    /**
     * @param signInAgain where "Sign in again" leads: an http(s) URL or a path; none when the page the person
     *                    came from is unknown
     * @throws IllegalArgumentException when {@code signInAgain} has another scheme ({@code javascript:} …)
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, String requestId, String accept,
            Optional<String> signInAgain) {
        requireNonNull(requestId, "requestId");
        requireNonNull(signInAgain, "signInAgain");
        signInAgain.ifPresent(PageLayout::checkedLinkTarget);
        if (ErrorPage.prefersJson(accept)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("signed_out", true);
            signInAgain.ifPresent(url -> body.put("sign_in_url", url));
            return PageResponse.json(alloc, HttpResponseStatus.OK, body, requestId);
        }
        String main = "<h1>You are signed out</h1>"
                + "<p>Your session on this site has ended. To come back, open the page you want again and sign in.</p>"
                + signInAgain.map(url -> "<div class=\"actions\">" + PageLayout.buttonLink(url, "Sign in again") + "</div>")
                        .orElse("")
                + PageLayout.requestIdLine(requestId);
        return PageResponse.html(alloc, HttpResponseStatus.OK, PageLayout.document("Signed out", main), requestId);
    }
}
