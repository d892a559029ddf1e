package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.route.Route;
import java.util.List;

/**
 * Warns about route lists that load but serve no one: no route at all (every request gets 404), or a
 * route whose policy has no allow rule (a misspelt {@code allowed_users}, an empty list), so that every
 * request to it is denied. Which routes let no one in is decided by the compiled policy, the same
 * answer {@code portcullis check} explains for one request.
 */
final class RoutesThatServeNoOne {

    private final Diagnostics diagnostics;

    RoutesThatServeNoOne(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    void warnAbout(List<Route> routes) {
        if (routes.isEmpty()) {
            diagnostics.warning("routes: none configured (no routes: or policy: in the file, no POLICY or ROUTES"
                    + " in the environment), so every request is answered 404");
        }
        routes.stream().filter(route -> route.access().compiled().letsNoOneIn()).forEach(route -> diagnostics.warning(
                route.yamlPath() + " (" + route.name() + "): lets no one in, every request is denied: it has no allow"
                        + " rule (allowed_users, allowed_domains, allowed_groups, allow_any_authenticated_user,"
                        + " allow_public_unauthenticated_access or policy: allow); check the spelling of its keys"));
    }
}
