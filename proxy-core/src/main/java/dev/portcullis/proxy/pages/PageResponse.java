package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Makes the responses the pages answer with, all with the same headers: {@code Content-Type},
 * {@code Content-Length}, {@code Cache-Control: no-store} (pages show identities, request ids and
 * one-time links, none of which a cache should keep), {@code X-Content-Type-Options: nosniff}
 * and, when known, {@code X-Request-Id}. HTML pages also carry a Content-Security-Policy that
 * allows nothing but their inline style, so even a mistake in escaping cannot run a script.
 *
 * <p>The body is encoded before the buffer is allocated, so nothing leaks if encoding fails.
 */
final class PageResponse {
    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json";
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

    private PageResponse() {}

    /** An HTML page; {@code requestId} may be null when the page has none. */
    /** The status line of {@code failure}'s page. */
    static HttpResponseStatus statusOf(ProxyFailure failure) {
        return HttpResponseStatus.valueOf(failure.status(), failure.reasonPhrase());
    }

    static FullHttpResponse html(ByteBufAllocator alloc, HttpResponseStatus status, String document, String requestId) {
        return html(alloc, status, document, requestId, CONTENT_SECURITY_POLICY);
    }

    /** An HTML page with its own Content-Security-Policy (the routes portal's also allows images). */
    static FullHttpResponse html(ByteBufAllocator alloc, HttpResponseStatus status, String document, String requestId,
            String contentSecurityPolicy) {
        requireNonNull(document, "document");
        requireNonNull(contentSecurityPolicy, "contentSecurityPolicy");
        FullHttpResponse response = response(ByteBufUtil.writeUtf8(requireNonNull(alloc, "alloc"), document), status,
                HTML, requestId);
        response.headers().set("content-security-policy", contentSecurityPolicy);
        return response;
    }

    /** A JSON object, written in {@code body}'s iteration order; {@code requestId} may be null. */
    static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, Map<String, ?> body,
            String requestId) {
        byte[] bytes = CompactJson.bytes(requireNonNull(body, "body"));
        ByteBuf content = requireNonNull(alloc, "alloc").buffer(bytes.length + 1).writeBytes(bytes).writeByte('\n');
        return response(content, status, JSON, requestId);
    }

    private static FullHttpResponse response(ByteBuf content, HttpResponseStatus status, String contentType,
            String requestId) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, requireNonNull(status, "status"),
                content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("x-content-type-options", "nosniff");
        if (requestId != null) {
            response.headers().set("x-request-id", requestId);
        }
        return response;
    }
}
