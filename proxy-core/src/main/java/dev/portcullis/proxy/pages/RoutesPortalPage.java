package dev.portcullis.proxy.pages;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import dev.portcullis.config.route.RoutePortal;
import dev.portcullis.proxy.portal.PortalRoute;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes portal ({@code /.pomerium/routes}): the routes the signed-in person may open, each a link
 * with its name, logo and description, as Pomerium's portal shows them. Everything is escaped; a link is
 * only an http(s) URL, a logo only an http(s) or {@code data:image/} URL. Its Content-Security-Policy is the
 * other pages' plus images from anywhere (the logos). In JSON — for {@code Accept: application/json}, and
 * always at {@code /.pomerium/api/v1/routes} — {@code {"routes":[{id,name,type,from,description,logo_url}]}},
 * Pomerium's fields.
 */
public final class RoutesPortalPage {
    static final String CONTENT_SECURITY_POLICY = PageResponse.CONTENT_SECURITY_POLICY + "; img-src https: http: data:";
    private static final String STYLE = "<style>ul.routes{list-style:none;padding:0;margin:0;display:grid;gap:.5rem}"
            + "ul.routes li{display:grid;grid-template-columns:2.5rem 1fr;gap:.25rem .75rem;align-items:center;"
            + "padding:.6rem 0;border-bottom:1px solid var(--line)}"
            + "ul.routes img,ul.routes .no-logo{width:2.5rem;height:2.5rem;object-fit:contain;grid-row:span 2}"
            + "ul.routes a{font-weight:600}ul.routes .description{grid-column:2;color:var(--muted)}</style>";

    private RoutesPortalPage() {}

    /** The page, or its JSON when {@code accept} prefers JSON. */
    public static FullHttpResponse render(ByteBufAllocator alloc, Session session, List<PortalRoute> routes, String accept) {
        requireNonNull(session, "session");
        requireNonNull(routes, "routes");
        if (ErrorPage.prefersJson(accept)) {
            return json(alloc, routes);
        }
        StringBuilder main = new StringBuilder(STYLE);
        String who = session.email() != null ? session.email() : session.userId();
        main.append("<h1>Your routes</h1><p class=\"muted\">Signed in as <strong>").append(PageLayout.escape(who))
                .append("</strong>.</p>");
        if (routes.isEmpty()) {
            main.append("<p>No route is open to you.</p>");
        } else {
            main.append("<ul class=\"routes\">");
            routes.forEach(route -> item(main, route));
            main.append("</ul>");
        }
        main.append("<div class=\"actions\">").append(PageLayout.buttonLink("/.pomerium/", "Your session")).append("</div>");
        return PageResponse.html(alloc, HttpResponseStatus.OK, PageLayout.document("Routes", main.toString()), null,
                CONTENT_SECURITY_POLICY);
    }

    /** {@code {"routes":[…]}}. */
    public static FullHttpResponse json(ByteBufAllocator alloc, List<PortalRoute> routes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routes", routes.stream().map(PortalRoute::json).toList());
        return PageResponse.json(alloc, HttpResponseStatus.OK, body, null);
    }

    private static void item(StringBuilder main, PortalRoute route) {
        main.append("<li>");
        if (route.logoUrl().filter(RoutePortal::isImageUrl).isPresent()) {
            main.append("<img src=\"").append(PageLayout.escape(route.logoUrl().get())).append("\" alt=\"\"/>");
        } else {
            main.append("<span class=\"no-logo\"></span>");
        }
        main.append("<a href=\"").append(PageLayout.escape(PageLayout.checkedLinkTarget(route.url()))).append("\">")
                .append(PageLayout.escape(route.name())).append("</a>");
        route.description().ifPresent(d -> main.append("<span class=\"description\">").append(PageLayout.escape(d))
                .append("</span>"));
        main.append("</li>");
    }
}
