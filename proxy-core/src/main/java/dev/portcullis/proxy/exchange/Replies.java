package dev.portcullis.proxy.exchange;

import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.pages.ErrorPage;
import dev.portcullis.proxy.pages.ForbiddenPage;
import dev.portcullis.proxy.pages.UnauthenticatedAnswer;
import dev.portcullis.proxy.signin.LocalAnswer;
import dev.portcullis.proxy.stage.Exchange;
import dev.portcullis.proxy.stage.Reply;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;

/**
 * Renders the proxy's own answers ({@link Reply}) as responses: the page of a failure (recording its
 * tag as the exchange's outcome), the 403 page, the 401 JSON (with {@code Location} for a forward-auth
 * check), redirects, text, the sign-in endpoints' answers ({@code Cache-Control: no-store} unless they
 * chose otherwise; for a forward-auth check, a success becomes {@code 404}) and forward-auth's
 * {@code 200}; each with the renewed session's cookies and the top-level {@code set_response_headers}
 * (a page's own, stricter header wins).
 */
final class Replies {
    private Replies() {}

    static FullHttpResponse render(Reply reply, Exchange exchange, HttpRequest head, ByteBufAllocator alloc) {
        FullHttpResponse response;
        if (reply instanceof Reply.Failure failure) {
            exchange.outcome(failure.failure().tag());
            response = ErrorPage.render(alloc, failure.failure(), exchange.requestId(), exchange.accept(), failure.reasons(),
                    failure.detail());
        } else if (reply instanceof Reply.Forbidden forbidden) {
            response = ForbiddenPage.render(alloc, exchange.requestId(), exchange.accept(), forbidden.session(),
                    exchange.host() == null ? forbidden.routeName() : exchange.host().authority(), forbidden.routeName(),
                    forbidden.reasons(), forbidden.signInAgainUrl(), forbidden.details());
        } else if (reply instanceof Reply.Unauthenticated unauthenticated) {
            response = UnauthenticatedAnswer.render(alloc, exchange.requestId(), unauthenticated.signInUrl());
            if (exchange.forwardAuth().isPresent()) {
                // nginx's auth_request keeps a 401 check's headers: auth_request_set $signin $upstream_http_location;
                // error_page 401 =302 $signin; sends the browser to sign in with no other location block
                response.headers().set(HttpHeaderNames.LOCATION, unauthenticated.signInUrl());
            }
        } else if (reply instanceof Reply.Redirect redirect) {
            response = redirect(alloc, HttpResponseStatus.valueOf(redirect.status()), redirect.location(), redirect.noStore());
        } else if (reply instanceof Reply.Text text) {
            response = text(alloc, HttpResponseStatus.valueOf(text.status()), text.body());
            text.headers().forEach(response.headers()::set);
        } else if (reply instanceof Reply.Endpoint endpoint) {
            response = ConditionalGet.apply(head, endpoint(alloc, endpoint.answer(), exchange));
        } else {
            response = allowed(alloc, (Reply.Allowed) reply, exchange, head);
        }
        exchange.responseCookies().forEach(cookie -> response.headers().add(HttpHeaderNames.SET_COOKIE, cookie));
        addResponseHeaders(response.headers(), exchange.snapshot().responseHeaders().forConnection(exchange.connection().tls()));
        return response;
    }

    /**
     * Sets the top-level {@code set_response_headers} on a response the proxy made itself, leaving
     * any its page already chose (a page's own, stricter {@code X-Frame-Options}, say).
     */
    static void addResponseHeaders(HttpHeaders headers, Map<String, String> global) {
        global.forEach((name, value) -> {
            if (!headers.contains(name)) {
                headers.set(name, value);
            }
        });
    }

    private static FullHttpResponse endpoint(ByteBufAllocator alloc, LocalAnswer answer, Exchange exchange) {
        FullHttpResponse response = endpoint(alloc, answer);
        if (exchange.forwardAuth().isEmpty() || response.status().codeClass() != HttpStatusClass.SUCCESS) {
            return response;
        }
        // A check's 2xx lets the front proxy forward the request to the application: one of the proxy's own pages
        // asked about through forward-auth (/.pomerium/, the key set …) must not open the way there. Redirects
        // (the hand-off, sign-out) and errors pass as they are.
        response.release();
        exchange.outcome(ProxyFailure.NO_ROUTE.tag());
        return ErrorPage.render(alloc, ProxyFailure.NO_ROUTE, exchange.requestId(), exchange.accept(), List.of());
    }

    private static FullHttpResponse endpoint(ByteBufAllocator alloc, LocalAnswer answer) {
        FullHttpResponse response = answer instanceof LocalAnswer.Redirect redirect
                ? redirect(alloc, HttpResponseStatus.FOUND, redirect.location(), true)
                : ((LocalAnswer.Page) answer).render().apply(alloc);
        if (!response.headers().contains(HttpHeaderNames.CACHE_CONTROL)) {
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        }
        answer.setCookies().forEach(cookie -> response.headers().add(HttpHeaderNames.SET_COOKIE, cookie));
        return response;
    }

    /**
     * The forward-auth answer for an allowed request: {@code 200} with no body, carrying what the
     * front proxy copies to the upstream, and the request's W3C {@code traceparent} (and
     * {@code tracestate}) — with tracing on, this request's span's — so that the front proxy's trace continues.
     */
    private static FullHttpResponse allowed(ByteBufAllocator alloc, Reply.Allowed allowed, Exchange exchange,
            HttpRequest head) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                alloc.buffer(0));
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        allowed.headers().forEach(headers::set);
        if (exchange.trace().active()) {
            exchange.trace().injectAnswer(headers);
        } else {
            for (String name : new String[] {"traceparent", "tracestate"}) {
                String value = head.headers().get(name);
                if (value != null) {
                    headers.set(name, value);
                }
            }
        }
        return response;
    }

    private static FullHttpResponse redirect(ByteBufAllocator alloc, HttpResponseStatus status, String location,
            boolean noStore) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, alloc.buffer(0));
        response.headers().set(HttpHeaderNames.LOCATION, location).set(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (noStore) {
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        }
        return response;
    }

    private static FullHttpResponse text(ByteBufAllocator alloc, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                ByteBufUtil.writeUtf8(alloc, body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        return response;
    }
}
