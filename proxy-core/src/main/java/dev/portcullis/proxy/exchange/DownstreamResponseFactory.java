package dev.portcullis.proxy.exchange;

import dev.portcullis.config.route.Route;
import dev.portcullis.proxy.http.HopByHopHeaders;
import dev.portcullis.proxy.stage.Exchange;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Builds the response sent to the client from the upstream's: hop-by-hop headers removed, the
 * configured response headers set, and HTTP/1.1 framing made explicit (chunked when the length
 * is unknown, so the connection can be kept alive).
 */
final class DownstreamResponseFactory {
    private DownstreamResponseFactory() {}

    /** Whether the client connection may serve another request after this response. */
    record Built(HttpResponse response, boolean keepAlive) {}

    static Built build(HttpResponse upstream, HttpRequest request, Exchange rc, Route route, Map<String, String> globalHeaders,
            boolean clientKeepAlive, boolean switching, boolean http2) {
        HttpHeaders headers = upstream.headers();
        String upgrade = headers.get(HttpHeaderNames.UPGRADE);
        HopByHopHeaders.strip(headers);
        globalHeaders.forEach(headers::set);
        route.headers().setResponseHeaders().forEach(headers::set);
        rc.responseCookies().forEach(cookie -> headers.add(HttpHeaderNames.SET_COOKIE, cookie));
        boolean keepAlive = clientKeepAlive;
        if (switching) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, upgrade);
        } else if (!http2) {
            int code = upstream.status().code();
            boolean bodyAllowed = code >= 200 && code != 204 && code != 304
                    && !HttpMethod.HEAD.equals(request.method());
            if (bodyAllowed && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                    headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                } else {
                    keepAlive = false;
                }
            }
            if (!keepAlive) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        return new Built(new DefaultHttpResponse(HttpVersion.HTTP_1_1, upstream.status(), headers), keepAlive);
    }
}
