package dev.portcullis.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes the headers that belong to one connection and must not cross a proxy
 * (RFC 9110 §7.6.1): {@code Connection} and every header it names, {@code Keep-Alive},
 * {@code Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Transfer-Encoding},
 * {@code Upgrade}, {@code Proxy-Authenticate}, {@code Proxy-Authorization}; and the
 * {@code x-http2-*} headers Netty adds when it converts HTTP/2 frames.
 */
public final class HopByHopHeaders {
    private static final List<CharSequence> ALWAYS = List.of(
            // Netty deprecates the constants for these two obsolete headers; clients still send them.
            HttpHeaderNames.CONNECTION, "keep-alive", "proxy-connection",
            HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.PATH.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_WEIGHT.text(),
            HttpConversionUtil.ExtensionHeaderNames.STREAM_PROMISE_ID.text());

    private HopByHopHeaders() {}

    /** Removes them from {@code headers}. */
    public static void strip(HttpHeaders headers) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String name = token.trim();
                if (!name.isEmpty()) {
                    named.add(name);
                }
            }
        }
        for (String name : named) {
            headers.remove(name);
        }
        for (CharSequence name : ALWAYS) {
            headers.remove(name);
        }
    }
}
