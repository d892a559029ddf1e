package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders an error page: a small self-contained HTML page for browsers, JSON for clients that
 * ask for {@code application/json}. Every page shows the request id that is also in the log.
 * Everything shown is escaped; nothing external is loaded. The answer has the failure's status
 * and {@code Cache-Control: no-store}.
 */
public final class ErrorPage {

    private ErrorPage() {}

    /** The response for {@code failure}; {@code accept} is the request's {@code Accept} header or null. */
    public static FullHttpResponse render(ByteBufAllocator alloc, ProxyFailure failure, String requestId, String accept) {
        return render(alloc, failure, requestId, accept, List.of());
    }

    /**
     * The response for a refusal by the route's policy, listing its reason words ({@code email-unauthorized} …).
     * The full explanation, which names what the policy requires, goes to the log only: a stranger
     * should not learn from the page who would be let in.
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, ProxyFailure failure, String requestId, String accept,
            List<String> reasons) {
        return render(alloc, failure, requestId, accept, reasons, Optional.empty());
    }

    /**
     * As {@link #render(ByteBufAllocator, ProxyFailure, String, String, List)}, with one sentence saying why: what in
     * the proxy's configuration caused the failure ({@code "idp_client_id … is missing"}; options only, never their
     * values), or on a route with {@code show_error_details} what went wrong technically (why the upstream could not
     * be reached). JSON {@code "detail"}, HTML "Why: …". The caller words it; never a stack trace.
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, ProxyFailure failure, String requestId, String accept,
            List<String> reasons, Optional<String> detail) {
        requireNonNull(failure, "failure");
        requireNonNull(requestId, "requestId");
        requireNonNull(reasons, "reasons");
        requireNonNull(detail, "detail");
        if (prefersJson(accept)) {
            Map<String, Object> body = jsonFields(failure, reasons);
            detail.ifPresent(d -> body.put("detail", d));
            body.put("request_id", requestId);
            return PageResponse.json(alloc, PageResponse.statusOf(failure), body, requestId);
        }
        StringBuilder main = new StringBuilder();
        appendHeading(main, failure);
        detail.ifPresent(d -> main.append("<p class=\"detail\">Why: ").append(PageLayout.escape(d))
                .append(d.endsWith(".") ? "" : ".").append("</p>"));
        PolicyReasons.appendHtml(main, reasons);
        main.append(PageLayout.requestIdLine(requestId));
        return PageResponse.html(alloc, PageResponse.statusOf(failure), PageLayout.document(titleOf(failure), main.toString()), requestId);
    }

    /**
     * Whether the client would rather have JSON than HTML: it names {@code application/json}, and
     * before {@code text/html} if it names both. A missing {@code Accept} gets HTML.
     */
    static boolean prefersJson(String accept) {
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        int jsonAt = a.indexOf("application/json");
        int htmlAt = a.indexOf("text/html");
        return jsonAt >= 0 && (htmlAt < 0 || jsonAt < htmlAt);
    }

    /** The JSON fields describing {@code failure}, in order, for a page to add its own to (request_id last). */
    static Map<String, Object> jsonFields(ProxyFailure failure, List<String> reasons) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failure.status());
        body.put("error", failure.tag());
        body.put("title", failure.title());
        body.put("message", failure.explanation());
        if (!reasons.isEmpty()) {
            body.put("reasons", reasons);
        }
        return body;
    }

    /** The page title for {@code failure}: its status code and title, e.g. "403 Access denied". */
    static String titleOf(ProxyFailure failure) {
        return failure.status() + " " + failure.title();
    }

    /** The heading and explanation that start the page for {@code failure}. */
    static void appendHeading(StringBuilder main, ProxyFailure failure) {
        main.append("<h1>").append(PageLayout.escape(titleOf(failure))).append("</h1>")
                .append("<p>").append(PageLayout.escape(failure.explanation())).append("</p>");
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    public static String escape(String text) {
        return PageLayout.escape(text);
    }
}
