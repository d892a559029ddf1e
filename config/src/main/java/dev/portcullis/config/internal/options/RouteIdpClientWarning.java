package dev.portcullis.config.internal.options;

import dev.portcullis.config.Options.IdentityProviderOptions;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.route.Route;
import java.util.List;

/**
 * Says at load when a route's own OAuth client ({@code idp_client_id}, {@code idp_client_secret} on the route)
 * cannot take effect: with {@code idp_provider: builtin} (no OAuth client at all), or with a secret but no client
 * id, neither the route's nor a top-level one (nobody can sign in to that route).
 */
final class RouteIdpClientWarning {
    private final Diagnostics diagnostics;

    RouteIdpClientWarning(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    void warnAbout(IdentityProviderOptions idp, List<Route> routes) {
        for (Route route : routes) {
            if (!route.idpClient().isOwn()) {
                continue;
            }
            String key = route.idpClient().clientId().isPresent() ? "idp_client_id" : "idp_client_secret";
            if (idp.isBuiltin()) {
                diagnostics.warning(route.yamlPath() + "." + key + ": is not used with idp_provider builtin (the"
                        + " built-in provider is no OAuth client); it is ignored");
            } else if (route.idpClient().clientId().isEmpty() && idp.clientId().isEmpty()) {
                diagnostics.warning(route.yamlPath() + ".idp_client_secret: the route has no idp_client_id, nor is"
                        + " there a top-level one, so nobody can sign in to this route until one is set");
            }
        }
    }
}
