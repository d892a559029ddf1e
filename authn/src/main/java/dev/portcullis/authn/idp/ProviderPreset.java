package dev.portcullis.authn.idp;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What each {@code idp_provider} always uses: its default URL (absent: {@code idp_provider_url} is
 * required), default scopes and authorization request parameters. Everything stays overridable by
 * {@link ProviderSettings}.
 */
enum ProviderPreset {
    OIDC("oidc", null, List.of("openid", "profile", "email", "offline_access"), Map.of()),
    GOOGLE("google", URI.create("https://accounts.google.com"), List.of("openid", "profile", "email"),
            Map.of("access_type", "offline")),
    /** Entra ID: {@code https://login.microsoftonline.com/{tenant}/v2.0}. */
    AZURE("azure", null, List.of("openid", "profile", "email", "offline_access"), Map.of()),
    GITLAB("gitlab", URI.create("https://gitlab.com"), List.of("openid", "profile", "email"), Map.of()),
    OKTA("okta", null, List.of("openid", "profile", "email", "offline_access"), Map.of()),
    AUTH0("auth0", null, List.of("openid", "profile", "email", "offline_access"), Map.of()),
    /** Cognito rejects {@code offline_access}; it issues refresh tokens without it. */
    COGNITO("cognito", null, List.of("openid", "profile", "email"), Map.of()),
    ONELOGIN("onelogin", null, List.of("openid", "profile", "email", "offline_access"), Map.of()),
    PING("ping", null, List.of("openid", "profile", "email", "offline_access"), Map.of()),
    /** Plain OAuth 2; the URL is the web base, {@code https://github.com} or a GitHub Enterprise Server. */
    GITHUB("github", GitHubIdentityProvider.GITHUB, List.of("read:user", "user:email", "read:org"), Map.of());

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

    List<String> scopes() {
        return scopes;
    }

    Map<String, String> requestParams() {
        return requestParams;
    }
}
