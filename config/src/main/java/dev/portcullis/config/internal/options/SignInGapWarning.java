package dev.portcullis.config.internal.options;

import dev.portcullis.config.Options.IdentityProviderOptions;
import dev.portcullis.config.SignInGap;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.route.Route;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Says at load (and in {@code validate}) when nobody can sign in ({@link SignInGap}): always when an
 * identity provider is named but incomplete; without one, only when some route needs sign-in (a
 * configuration of public routes needs no provider).
 */
final class SignInGapWarning {
    private static final int ROUTES_NAMED = 3;

    private final Diagnostics diagnostics;

    SignInGapWarning(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    void warnAbout(IdentityProviderOptions idp, Optional<URI> authenticateUrl, List<Route> routes) {
        Optional<String> gap = SignInGap.of(idp, authenticateUrl);
        if (gap.isEmpty()) {
            return;
        }
        List<Route> needSignIn = routes.stream()
                .filter(route -> !route.access().compiled().isPublic() && !route.access().compiled().letsNoOneIn())
                .toList();
        if (idp.provider().isPresent()) {
            diagnostics.warning(gap.get());
        } else if (!needSignIn.isEmpty()) {
            String named = String.join(", ", needSignIn.stream().limit(ROUTES_NAMED)
                    .map(route -> route.yamlPath() + " (" + route.name() + ")").toList())
                    + (needSignIn.size() > ROUTES_NAMED ? " and " + (needSignIn.size() - ROUTES_NAMED) + " more" : "");
            diagnostics.warning(named + (needSignIn.size() == 1 ? " lets" : " let") + " in only people who sign in, and "
                    + gap.get());
        }
    }
}
