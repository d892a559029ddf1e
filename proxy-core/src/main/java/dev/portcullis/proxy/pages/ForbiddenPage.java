package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The 403 for someone who is signed in and whom the route's policy refuses: who they are signed
 * in as, the route, the policy's reasons in plain words, the request id, and a link to sign in as
 * someone else. {@code Cache-Control: no-store}, as it shows an identity.
 */
public final class ForbiddenPage {
    private ForbiddenPage() {}

    /**
     * The page, or when {@code accept} prefers JSON
     * {@code {"error":"forbidden","request_id","route","user","email","reasons","sign_in_url"}}.
     *
     * @param who            the signed-in user
     * @param browserHost    the host as the browser asked for it, with its port if any ({@code app.example:8443}):
     *                       the page names what the person typed, not the route's {@code from}
     * @param routeName      the route's name (from its {@code name:} or derived from {@code from}); shown too
     *                       when it is not just the host's name
     * @param reasons        the policy's reason words
     * @param signInAgainUrl where "Sign in as someone else" leads: an http(s) URL or a path
     * @throws IllegalArgumentException when {@code signInAgainUrl} has another scheme ({@code javascript:} …)
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, String requestId, String accept, Session who,
            String browserHost, String routeName, List<String> reasons, String signInAgainUrl) {
        return render(alloc, requestId, accept, who, browserHost, routeName, reasons, signInAgainUrl, Optional.empty());
    }

    /**
     * As {@link #render(ByteBufAllocator, String, String, Session, String, String, List, String)}, with the policy's
     * explanation for a route with {@code show_error_details} (a {@code "detail"} field in JSON, "Why: …" in HTML, as on the other error pages).
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, String requestId, String accept, Session who,
            String browserHost, String routeName, List<String> reasons, String signInAgainUrl, Optional<String> details) {
        requireNonNull(requestId, "requestId");
        requireNonNull(details, "details");
        requireNonNull(browserHost, "browserHost");
        requireNonNull(who, "who");
        requireNonNull(routeName, "routeName");
        requireNonNull(reasons, "reasons");
        PageLayout.checkedLinkTarget(signInAgainUrl);
        ProxyFailure failure = ProxyFailure.FORBIDDEN;
        if (ErrorPage.prefersJson(accept)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", failure.tag());
            body.put("request_id", requestId);
            body.put("host", browserHost);
            body.put("route", routeName);
            body.put("user", who.userId());
            body.put("email", who.email());
            body.put("reasons", reasons);
            body.put("sign_in_url", signInAgainUrl);
            details.ifPresent(d -> body.put("detail", d));
            return PageResponse.json(alloc, PageResponse.statusOf(failure), body, requestId);
        }
        StringBuilder main = new StringBuilder();
        main.append("<h1>").append(PageLayout.escape(failure.title())).append("</h1>")
                .append("<p>Signed in as ").append(signedInAs(who)).append(".</p>")
                .append("<p>You may not open <strong>").append(PageLayout.escape(browserHost)).append("</strong>")
                .append(sameName(browserHost, routeName) ? ""
                        : " (route <strong>" + PageLayout.escape(routeName) + "</strong>)").append(".</p>")
                .append("<p>").append(PageLayout.escape(failure.explanation())).append("</p>");
        PolicyReasons.appendHtml(main, reasons);
        details.ifPresent(d -> main.append("<p class=\"detail\">Why: ").append(PageLayout.escape(d))
                .append(d.endsWith(".") ? "" : ".").append("</p>"));
        main.append("<div class=\"actions\">").append(PageLayout.buttonLink(signInAgainUrl, "Sign in as someone else"))
                .append("</div>")
                .append(PageLayout.requestIdLine(requestId));
        return PageResponse.html(alloc, PageResponse.statusOf(failure), PageLayout.document(failure.title(), main.toString()),
                requestId);
    }

    /** Whether the route's name is the host's name, with or without the port the browser used. */
    private static boolean sameName(String browserHost, String routeName) {
        int colon = browserHost.lastIndexOf(':');
        boolean hasPort = colon > browserHost.lastIndexOf(']');
        String name = hasPort ? browserHost.substring(0, colon) : browserHost;
        return routeName.equalsIgnoreCase(browserHost) || routeName.equalsIgnoreCase(name);
    }

    /** "<strong>Name</strong> (email)", falling back to the email and then the user id. */
    private static String signedInAs(Session who) {
        String name = who.name();
        String email = who.email();
        if (name != null && !name.isBlank()) {
            String detail = email != null ? email : who.userId();
            return "<strong>" + PageLayout.escape(name) + "</strong> (" + PageLayout.escape(detail) + ")";
        }
        return "<strong>" + PageLayout.escape(email != null ? email : who.userId()) + "</strong>";
    }
}
