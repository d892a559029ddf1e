package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code idp_*} options of one identity provider. {@link #toString()} hides the client secret.
 *
 * @param provider      the preset: {@code oidc}, {@code google}, {@code azure}, {@code github}, ...
 * @param providerUrl   the issuer (discovery at {@code /.well-known/openid-configuration}); for
 *                      GitHub the web base URL (GitHub Enterprise Server)
 * @param clientId      the OAuth client id
 * @param clientSecret  the OAuth client secret
 * @param scopes        the scopes to ask for; empty means the preset's default
 * @param requestParams extra authorization request parameters, added to (and overriding) the preset's
 */
public record ProviderSettings(String provider, Optional<URI> providerUrl, String clientId, String clientSecret,
        List<String> scopes, Map<String, String> requestParams) {

    public ProviderSettings {
        requireNonNull(provider, "provider");
        requireNonNull(providerUrl, "providerUrl");
        requireNonNull(clientId, "clientId");
        requireNonNull(clientSecret, "clientSecret");
        scopes = List.copyOf(requireNonNull(scopes, "scopes"));
        requestParams = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(requestParams, "requestParams")));
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId: blank (expected: the OAuth client id)");
        }
    }

    @Override
    public String toString() {
        return "ProviderSettings[provider=" + provider + ", providerUrl=" + providerUrl.map(URI::toString).orElse("default")
                + ", clientId=" + clientId + ", clientSecret=" + (clientSecret.isEmpty() ? "(empty)" : "(hidden)")
                + ", scopes=" + scopes + ", requestParams=" + requestParams.keySet() + "]";
    }
}
