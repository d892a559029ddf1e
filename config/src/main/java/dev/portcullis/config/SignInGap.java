package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.Options.IdentityProviderOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What keeps everyone from signing in with a configuration, in one sentence that both the warning at
 * load (and {@code validate}) and the page a stranger sees on a route that needs sign-in use. Pomerium
 * loads such configurations too: without an identity provider it sends people to its hosted sign-in
 * service ({@code authenticate.pomerium.app}), which Portcullis does not offer, and without a client
 * id or secret only the sign-in itself fails.
 */
public final class SignInGap {
    private SignInGap() {}

    /** The sentence saying what is missing; empty when sign-in is configured. */
    public static Optional<String> of(IdentityProviderOptions idp, Optional<URI> authenticateUrl) {
        requireNonNull(idp, "idp");
        requireNonNull(authenticateUrl, "authenticateUrl");
        if (idp.provider().isEmpty()) {
            return Optional.of("no identity provider is configured (idp_provider is not set). Pomerium would send"
                    + " people to its hosted sign-in service (authenticate.pomerium.app), which Portcullis does not"
                    + " offer: set idp_provider: builtin to keep the users in a file (portcullis users add EMAIL), or"
                    + " name your OpenID Connect provider with idp_provider and its idp_client_id and"
                    + " idp_client_secret");
        }
        List<String> missing = new ArrayList<>();
        if (!idp.isBuiltin() && idp.clientId().isEmpty()) {
            missing.add("idp_client_id (IDP_CLIENT_ID)");
        }
        if (!idp.isBuiltin() && idp.clientSecret().isEmpty()) {
            missing.add("idp_client_secret (IDP_CLIENT_SECRET, or IDP_CLIENT_SECRET_FILE)");
        }
        if (authenticateUrl.isEmpty()) {
            missing.add("authenticate_service_url (AUTHENTICATE_SERVICE_URL)");
        }
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("idp_provider " + idp.provider().get() + " is set, but " + String.join(" and ", missing)
                + (missing.size() == 1 ? " is" : " are") + " missing, so nobody can sign in until "
                + (missing.size() == 1 ? "it is" : "they are") + " set");
    }
}
