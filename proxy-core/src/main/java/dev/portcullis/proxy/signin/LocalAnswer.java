package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a sign-in endpoint answers, built on the event loop once the endpoint's work (which may
 * have called the identity provider) is done.
 */
public sealed interface LocalAnswer {
    /** {@code Set-Cookie} values to add to the answer. */
    List<String> setCookies();

    /** A {@code 302 Found} to {@code location}. */
    record Redirect(String location, List<String> setCookies) implements LocalAnswer {
        public Redirect {
            requireNonNull(location, "location");
            setCookies = List.copyOf(setCookies);
        }
    }

    /** A page (or JSON document) rendered with the channel's allocator. */
    record Page(Function<ByteBufAllocator, FullHttpResponse> render, List<String> setCookies) implements LocalAnswer {
        public Page {
            requireNonNull(render, "render");
            setCookies = List.copyOf(setCookies);
        }
    }

    /**
     * A plain body ({@code text/plain}, {@code application/json}, {@code application/jwt} …) with
     * {@code Cache-Control: cacheControl}.
     */
    static LocalAnswer body(HttpResponseStatus status, String contentType, String body, String cacheControl) {
        return page(alloc -> {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    ByteBufUtil.writeUtf8(alloc, body));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
            if (!body.isEmpty()) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            }
            return response;
        });
    }

    /**
     * A JSON document any web page may read ({@code Access-Control-Allow-Origin: *}, as Pomerium serves its
     * key set and {@code /.well-known/pomerium}), cached for a minute.
     */
    static LocalAnswer publicDocument(String json) {
        return publicDocument(json, Optional.empty());
    }

    /** A {@link #publicDocument(String)} with its {@code ETag} (a client that sends it back gets {@code 304}). */
    static LocalAnswer publicDocument(String json, Optional<String> etag) {
        return page(alloc -> {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    ByteBufUtil.writeUtf8(alloc, json));
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .set(HttpHeaderNames.CACHE_CONTROL, "max-age=60")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            etag.ifPresent(tag -> response.headers().set(HttpHeaderNames.ETAG, tag));
            return response;
        });
    }

    static LocalAnswer redirect(String location) {
        return new Redirect(location, List.of());
    }

    static LocalAnswer page(Function<ByteBufAllocator, FullHttpResponse> render) {
        return new Page(render, List.of());
    }
}
