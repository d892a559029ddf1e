package dev.portcullis.authn.idp;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What each {@code idp_provider} always uses, as Pomerium's {@code pkg/identity/oidc/*} and
 * {@code pkg/identity/oauth/github} set it: its default URL (absent: {@code idp_provider_url} is required),
 * default scopes and authorization request parameters. Everything stays overridable by
 * {@link ProviderSettings}.
 */
enum ProviderPreset {
    /** Pomerium's generic OpenID Connect defaults, which okta, auth0 and ping keep. */
    OIDC("oidc", null, Scopes.OIDC, Map.of()),
    /** {@code prompt=select_account consent} and {@code access_type=offline}: Google issues a refresh token only then. */
    GOOGLE("google", URI.create("https://accounts.google.com"), List.of("openid", "profile", "email"),
            Map.of("prompt", "select_account consent", "access_type", "offline")),
    /**
     * Entra ID. Without {@code idp_provider_url}, Microsoft's common endpoint: any work, school or personal
     * account signs in, each token issued by its own tenant ({@link TenantIssuer}).
     */
    AZURE("azure", URI.create("https://login.microsoftonline.com/common/v2.0"), Scopes.OIDC,
            Map.of("prompt", "select_account")),
    GITLAB("gitlab", URI.create("https://gitlab.com"), List.of("openid", "profile", "email"), Map.of()),
    OKTA("okta", null, Scopes.OIDC, Map.of()),
    AUTH0("auth0", null, Scopes.OIDC, Map.of()),
    /** Cognito rejects {@code offline_access}; it issues refresh tokens without it. */
    COGNITO("cognito", null, List.of("openid", "email", "profile"), Map.of()),
    /**
     * OneLogin's first API, {@code https://openid-connect.onelogin.com/oidc}, by default; its second
     * ({@code …/oidc/2}) refuses {@code offline_access}, so the default scopes depend on the URL.
     */
    ONELOGIN("onelogin", URI.create("https://openid-connect.onelogin.com/oidc"),
            List.of("openid", "profile", "email", "groups", "offline_access"), Map.of()),
    PING("ping", null, Scopes.OIDC, Map.of()),
    /** Plain OAuth 2; the URL is the web base, {@code https://github.com} or a GitHub Enterprise Server. */
    GITHUB("github", GitHubIdentityProvider.GITHUB, List.of("user:email", "read:org"), Map.of());

    private final String id;
    private final URI defaultUrl;
    private final List<String> scopes;
    private final Map<String, String> requestParams;

    ProviderPreset(String id, URI defaultUrl, List<String> scopes, Map<String, String> requestParams) {
        this.id = id;
        this.defaultUrl = defaultUrl;
        this.scopes = scopes;
        this.requestParams = requestParams;
    }

    /** The preset named {@code id}; an {@link IllegalArgumentException} naming the valid ones otherwise. */
    static ProviderPreset named(String id) {
        for (ProviderPreset preset : values()) {
            if (preset.id.equals(id)) {
                return preset;
            }
        }
        throw new IllegalArgumentException("idp_provider: " + id + " (expected one of: " + names() + ")");
    }

    static String names() {
        return Arrays.stream(values()).map(ProviderPreset::id).collect(Collectors.joining(", "));
    }

    String id() {
        return id;
    }

    Optional<URI> defaultUrl() {
        return Optional.ofNullable(defaultUrl);
    }

    /** The scopes asked for when {@code idp_scopes} is not set, with the provider at {@code url}. */
    List<String> scopesFor(URI url) {
        if (this == ONELOGIN && url.toString().contains("/oidc/2")) {
            return scopes.stream().filter(scope -> !scope.equals("offline_access")).toList();
        }
        return scopes;
    }

    Map<String, String> requestParams() {
        return requestParams;
    }

    /** Shared scope lists (an enum constant cannot name a static field of its own enum). */
    private static final class Scopes {
        static final List<String> OIDC = List.of("openid", "profile", "email", "offline_access");
    }
}
