package dev.portcullis.proxy.exchange;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code If-None-Match} on the proxy's own documents that carry an {@code ETag} (the key set), as Go's
 * {@code http.ServeContent} answers it for Pomerium: a {@code GET} or {@code HEAD} whose {@code If-None-Match}
 * names the document's entity tag (weak comparison, RFC 9110 §8.8.3.2 and §13.1.2), or is {@code *}, gets
 * {@code 304 Not Modified} with the same headers but no body, {@code Content-Type} or {@code Content-Length}.
 */
final class ConditionalGet {
    private ConditionalGet() {}

    /** {@code response} to {@code head}, or a {@code 304} in its place (releasing it) when the client has it already. */
    static FullHttpResponse apply(HttpRequest head, FullHttpResponse response) {
        String etag = response.headers().get(HttpHeaderNames.ETAG);
        boolean safe = HttpMethod.GET.equals(head.method()) || HttpMethod.HEAD.equals(head.method());
        if (etag == null || !safe || response.status().code() != HttpResponseStatus.OK.code()
                || !matches(String.join(",", head.headers().getAll(HttpHeaderNames.IF_NONE_MATCH)), etag)) {
            return response;
        }
        FullHttpResponse notModified = new DefaultFullHttpResponse(response.protocolVersion(),
                HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
        notModified.headers().set(response.headers())
                .remove(HttpHeaderNames.CONTENT_TYPE)
                .remove(HttpHeaderNames.CONTENT_LENGTH)
                .remove(HttpHeaderNames.CONTENT_ENCODING);
        response.release();
        return notModified;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        String tag = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || !c.isEmpty() && opaque(c).equals(tag)) {
                return true;
            }
        }
        return false;
    }

    /** The tag without its weakness indicator: weak comparison ignores it. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
