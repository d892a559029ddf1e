package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The page for a sign-in that went wrong ({@link ProxyFailure#SIGN_IN_PROVIDER_UNAVAILABLE},
 * {@link ProxyFailure#SIGN_IN_REFUSED}, {@link ProxyFailure#SIGN_IN_EXPIRED},
 * {@link ProxyFailure#HANDOFF_REFUSED} …): the failure's status and explanation, what the identity
 * provider said when it said something, and a "Try again" link when there is somewhere to start
 * again from. {@code Cache-Control: no-store}.
 */
public final class SignInProblemPage {
    private SignInProblemPage() {}

    /**
     * The page, or when {@code accept} prefers JSON the failure's JSON
     * ({@code {"status","error","title","message","provider_error"?,"retry_url"?,"request_id"}}).
     *
     * @param providerError what the provider reported, e.g. {@code access_denied: user cancelled};
     *                      shown as text, never as markup
     * @param retryUrl      where "Try again" leads: an http(s) URL or a path
     * @throws IllegalArgumentException when {@code retryUrl} has another scheme ({@code javascript:} …)
     */
    public static FullHttpResponse problem(ByteBufAllocator alloc, ProxyFailure failure, String requestId, String accept,
            Optional<String> providerError, Optional<String> retryUrl) {
        return page(alloc, failure, requestId, accept, providerError, Optional.empty(), retryUrl);
    }

    /**
     * The 502 of a sign-in that could not reach the identity provider, naming its host
     * ({@code accounts.google.com}; JSON {@code "provider_host"}), so a DNS or firewall problem on the
     * proxy's side is told apart from the provider being down.
     */
    public static FullHttpResponse providerUnreachable(ByteBufAllocator alloc, String requestId, String accept,
            Optional<String> providerHost, String retryUrl) {
        return page(alloc, ProxyFailure.SIGN_IN_PROVIDER_UNAVAILABLE, requestId, accept, Optional.empty(), providerHost,
                Optional.of(retryUrl));
    }

    private static FullHttpResponse page(ByteBufAllocator alloc, ProxyFailure failure, String requestId, String accept,
            Optional<String> providerError, Optional<String> providerHost, Optional<String> retryUrl) {
        requireNonNull(failure, "failure");
        requireNonNull(requestId, "requestId");
        requireNonNull(providerError, "providerError");
        requireNonNull(retryUrl, "retryUrl");
        retryUrl.ifPresent(PageLayout::checkedLinkTarget);
        if (ErrorPage.prefersJson(accept)) {
            Map<String, Object> body = ErrorPage.jsonFields(failure, List.of());
            providerError.ifPresent(e -> body.put("provider_error", e));
            providerHost.ifPresent(h -> body.put("provider_host", h));
            retryUrl.ifPresent(url -> body.put("retry_url", url));
            body.put("request_id", requestId);
            return PageResponse.json(alloc, PageResponse.statusOf(failure), body, requestId);
        }
        StringBuilder main = new StringBuilder();
        ErrorPage.appendHeading(main, failure);
        providerError.ifPresent(e -> main.append("<p>The identity provider said: <code>")
                .append(PageLayout.escape(e)).append("</code></p>"));
        providerHost.ifPresent(h -> main.append("<p>The proxy could not complete the sign-in with <code>")
                .append(PageLayout.escape(h)).append("</code>; if this lasts, check that the proxy can resolve and"
                        + " reach it (DNS, firewall, outgoing proxy).</p>"));
        retryUrl.ifPresent(url -> main.append("<div class=\"actions\">").append(PageLayout.buttonLink(url, "Try again"))
                .append("</div>"));
        main.append(PageLayout.requestIdLine(requestId));
        return PageResponse.html(alloc, PageResponse.statusOf(failure),
                PageLayout.document(ErrorPage.titleOf(failure), main.toString()), requestId);
    }

    /**
     * {@code 400} for a request to a sign-in endpoint that is wrong, saying what is wrong
     * ({@code "the query parameter pomerium_redirect_uri is missing"}); in JSON as {@code "detail"}.
     */
    public static FullHttpResponse badRequest(ByteBufAllocator alloc, String requestId, String accept, String whatIsWrong) {
        requireNonNull(requestId, "requestId");
        requireNonNull(whatIsWrong, "whatIsWrong");
        ProxyFailure failure = ProxyFailure.BAD_REQUEST;
        if (ErrorPage.prefersJson(accept)) {
            Map<String, Object> body = ErrorPage.jsonFields(failure, List.of());
            body.put("detail", whatIsWrong);
            body.put("request_id", requestId);
            return PageResponse.json(alloc, PageResponse.statusOf(failure), body, requestId);
        }
        StringBuilder main = new StringBuilder();
        ErrorPage.appendHeading(main, failure);
        main.append("<p>What is wrong: ").append(PageLayout.escape(whatIsWrong)).append(".</p>");
        main.append(PageLayout.requestIdLine(requestId));
        return PageResponse.html(alloc, PageResponse.statusOf(failure),
                PageLayout.document(ErrorPage.titleOf(failure), main.toString()), requestId);
    }
}
