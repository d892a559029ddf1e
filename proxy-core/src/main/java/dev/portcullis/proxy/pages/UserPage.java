package dev.portcullis.proxy.pages;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The signed-in user's own pages, {@code GET /.pomerium/} and {@code GET /.pomerium/user}. Both
 * answer 200 with {@code Cache-Control: no-store}; they are only rendered for a valid session
 * (a stranger is asked to sign in before reaching them).
 */
public final class UserPage {
    /** Where the sign-out button posts to (COMPAT.md: {@code GET or POST /.pomerium/sign_out}). */
    static final String SIGN_OUT_PATH = "/.pomerium/sign_out";

    private UserPage() {}

    /**
     * {@code /.pomerium/}: who is signed in, with every claim, when the session was issued and
     * when it expires, a "Back to" link to {@code backTo} (the page of this host the person came from,
     * else its front page), and a sign-out button. JSON when {@code accept} prefers it:
     * {@code {"user","email","name","groups","claims","issued_at","expires_at"}}.
     *
     * @param routeHost the host (and port) the page is shown on
     * @param backTo    a path on this host ({@code /photos/1?x}) the "Back to" link leads to
     * @param accept    the request's {@code Accept} header, or null
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, Session session, String routeHost, String backTo,
            String accept) {
        return render(alloc, session, routeHost, backTo, accept, Instant.now());
    }

    /** As {@link #render(ByteBufAllocator, Session, String, String, String)}, with relative times counted from {@code now}. */
    public static FullHttpResponse render(ByteBufAllocator alloc, Session session, String routeHost, String backTo,
            String accept, Instant now) {
        return render(alloc, session, routeHost, backTo, accept, now, Optional.empty());
    }

    /**
     * As {@link #render(ByteBufAllocator, Session, String, String, String, Instant)}, with a link to the routes
     * portal when {@code routesPortal} names its path on this host.
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, Session session, String routeHost, String backTo,
            String accept, Instant now, Optional<String> routesPortal) {
        return render(alloc, session, routeHost, backTo, accept, now, routesPortal, Optional.empty());
    }

    /**
     * As {@link #render(ByteBufAllocator, Session, String, String, String, Instant, Optional)}, with the built-in
     * user's {@code passkeys} section (JSON: {@code "passkeys"}).
     */
    public static FullHttpResponse render(ByteBufAllocator alloc, Session session, String routeHost, String backTo,
            String accept, Instant now, Optional<String> routesPortal, Optional<PasskeysSection> passkeys) {
        requireNonNull(session, "session");
        requireNonNull(passkeys, "passkeys");
        requireNonNull(routesPortal, "routesPortal");
        requireNonNull(routeHost, "routeHost");
        if (!backTo.startsWith("/") || backTo.startsWith("//")) {
            throw new IllegalArgumentException("backTo must be a path on this host: " + backTo);
        }
        requireNonNull(now, "now");
        if (ErrorPage.prefersJson(accept)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("user", session.userId());
            body.put("email", session.email());
            body.put("name", session.name());
            body.put("groups", session.groups());
            body.put("claims", session.claims());
            body.put("issued_at", session.issuedAt().toString());
            body.put("expires_at", session.expiresAt().toString());
            passkeys.ifPresent(section -> body.put("passkeys", section.json()));
            return PageResponse.json(alloc, HttpResponseStatus.OK, body, null);
        }
        boolean script = passkeys.filter(PasskeysSection::needsScript).isPresent();
        String document = PageLayout.document("Signed in — " + routeHost,
                html(session, routeHost, backTo, now, routesPortal, passkeys) + (script ? PasskeyScript.ELEMENT : ""));
        return PageResponse.html(alloc, HttpResponseStatus.OK, document, null,
                script ? PasskeyScript.CONTENT_SECURITY_POLICY : PageResponse.CONTENT_SECURITY_POLICY);
    }

    /**
     * {@code /.pomerium/user}: Pomerium's user info, the claims of the route's assertion without those about the
     * token ({@code AssertionUserInfo}), as a JSON object.
     */
    public static FullHttpResponse userInfo(ByteBufAllocator alloc, Map<String, Object> info) {
        requireNonNull(info, "info");
        return PageResponse.json(alloc, HttpResponseStatus.OK, info, null);
    }

    private static String html(Session session, String routeHost, String backTo, Instant now,
            Optional<String> routesPortal, Optional<PasskeysSection> passkeys) {
        StringBuilder main = new StringBuilder();
        main.append("<h1>Signed in</h1>")
                .append("<p>Your session on <strong>").append(PageLayout.escape(routeHost)).append("</strong>.</p>")
                .append("<dl>");
        fact(main, "Name", optional(session.name()));
        fact(main, "Email", optional(session.email()));
        fact(main, "User ID", "<code>" + PageLayout.escape(session.userId()) + "</code>");
        fact(main, "Groups", groups(session.groups()));
        fact(main, "Signed in", moment(session.issuedAt(), now));
        fact(main, "Expires", moment(session.expiresAt(), now));
        main.append("</dl>");
        passkeys.ifPresent(section -> section.appendHtml(main, now));
        appendClaims(main, session.claims());
        main.append("<div class=\"actions\">").append(PageLayout.buttonLink(backTo, "Back to " + routeHost))
                .append("<form method=\"post\" action=\"").append(SIGN_OUT_PATH).append("\">")
                .append("<button type=\"submit\">Sign out</button></form></div>");
        routesPortal.ifPresent(path -> main.append("<p><a href=\"").append(PageLayout.escape(PageLayout.checkedLinkTarget(path)))
                .append("\">Your routes</a>: every application you may open.</p>"));
        return main.toString();
    }

    private static void fact(StringBuilder main, String term, String definitionHtml) {
        main.append("<dt>").append(term).append("</dt><dd>").append(definitionHtml).append("</dd>");
    }

    private static String optional(String value) {
        return value == null ? "<span class=\"muted\">not given</span>" : PageLayout.escape(value);
    }

    private static String groups(List<String> groups) {
        if (groups.isEmpty()) {
            return "<span class=\"muted\">none</span>";
        }
        StringBuilder list = new StringBuilder("<ul class=\"groups\">");
        groups.forEach(g -> list.append("<li>").append(PageLayout.escape(g)).append("</li>"));
        return list.append("</ul>").toString();
    }

    /** The exact time in ISO-8601 UTC, then how far it is from now. */
    private static String moment(Instant moment, Instant now) {
        String iso = moment.toString();
        return "<time datetime=\"" + iso + "\">" + iso + "</time> (" + RelativeTime.describe(moment, now) + ")";
    }

    /** Every claim, sorted by name; strings as they are, anything else as compact JSON. */
    private static void appendClaims(StringBuilder main, Map<String, Object> claims) {
        main.append("<h2>Claims</h2>");
        if (claims.isEmpty()) {
            main.append("<p class=\"muted\">The identity provider sent no further claims.</p>");
            return;
        }
        main.append("<table><thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Value</th></tr></thead><tbody>");
        new TreeMap<>(claims).forEach((name, value) -> {
            String shown = value instanceof String s ? s : CompactJson.text(value);
            main.append("<tr><th scope=\"row\"><code>").append(PageLayout.escape(name)).append("</code></th><td>")
                    .append(PageLayout.escape(shown)).append("</td></tr>");
        });
        main.append("</tbody></table>");
    }
}
