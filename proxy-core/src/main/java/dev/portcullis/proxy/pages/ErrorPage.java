package dev.portcullis.proxy.pages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders an error page: a small self-contained HTML page for browsers, JSON for clients that
 * ask for {@code application/json}. Every page shows the request id that is also in the log.
 * Everything shown is escaped; nothing external is loaded.
 */
public final class ErrorPage {
    private static final ObjectMapper JSON = new ObjectMapper();

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
        boolean json = prefersJson(accept);
        String body = json ? json(failure, requestId, reasons) : html(failure, requestId, reasons);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, failure.status(),
                ByteBufUtil.writeUtf8(alloc, body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json" : "text/html; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("x-content-type-options", "nosniff")
                .set("x-request-id", requestId);
        return response;
    }

    static boolean prefersJson(String accept) {
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(java.util.Locale.ROOT);
        int jsonAt = a.indexOf("application/json");
        int htmlAt = a.indexOf("text/html");
        return jsonAt >= 0 && (htmlAt < 0 || jsonAt < htmlAt);
    }

    private static String json(ProxyFailure failure, String requestId, List<String> reasons) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failure.status().code());
        body.put("error", failure.tag());
        body.put("title", failure.title());
        body.put("message", failure.explanation());
        if (!reasons.isEmpty()) {
            body.put("reasons", reasons);
        }
        body.put("request_id", requestId);
        try {
            return JSON.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String html(ProxyFailure failure, String requestId, List<String> reasons) {
        StringBuilder why = new StringBuilder();
        if (!reasons.isEmpty()) {
            why.append("<p>Reasons:</p><ul>");
            reasons.forEach(r -> why.append("<li><code>").append(escape(r)).append("</code></li>"));
            why.append("</ul>");
        }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + failure.status().code() + " " + escape(failure.title()) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;"
                + "color:#222;line-height:1.5}h1{font-size:1.5rem}small{color:#666}</style></head><body>"
                + "<h1>" + failure.status().code() + " " + escape(failure.title()) + "</h1>"
                + "<p>" + escape(failure.explanation()) + "</p>"
                + why
                + "<p><small>Request id: <code>" + escape(requestId) + "</code></small></p>"
                + "</body></html>\n";
    }

    /** HTML-escapes text for element content and attribute values. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
