package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Creates the {@link IdentityProvider} for an {@code idp_provider}: the preset's defaults completed by
 * the settings (a set URL, scopes or parameter wins). OpenID Connect presets always ask for the
 * {@code openid} scope, added when the configured scopes lack it. Nothing touches the network here:
 * discovery happens on first use.
 */
public final class IdentityProviders {

    private IdentityProviders() {
    }

    /**
     * The provider for these settings.
     *
     * @param blocking where every network call runs; never an event loop
     * @throws IllegalArgumentException for an unknown provider, or a preset that needs
     *                                  {@code idp_provider_url} when it is absent or not an http(s) URL
     */
    public static IdentityProvider create(ProviderSettings settings, Executor blocking, Clock clock) {
        return create(settings, blocking, clock, AzureGroupOverage.MICROSOFT_GRAPH);
    }

    /** As {@link #create(ProviderSettings, Executor, Clock)}, with Microsoft Graph at {@code graph} (tests). */
    static IdentityProvider create(ProviderSettings settings, Executor blocking, Clock clock, URI graph) {
        requireNonNull(settings, "settings");
        requireNonNull(blocking, "blocking");
        requireNonNull(clock, "clock");
        requireNonNull(graph, "graph");
        ProviderPreset preset = ProviderPreset.named(settings.provider());
        ProviderSettings resolved = resolve(preset, settings);
        ProviderTransport transport = new ProviderTransport();
        return switch (preset) {
            case GITHUB -> new GitHubIdentityProvider(resolved, transport, blocking);
            case AZURE -> new OidcIdentityProvider(resolved, new AzureGroupOverage(graph, transport), transport,
                    blocking, clock);
            default -> new OidcIdentityProvider(resolved, GroupSource.CLAIM, transport, blocking, clock);
        };
    }

    /**
     * The host the proxy calls for {@code settings}' provider: {@code idp_provider_url}'s, else the preset's
     * ({@code accounts.google.com}); empty when neither names one, or the provider is unknown.
     */
    public static Optional<String> hostOf(ProviderSettings settings) {
        requireNonNull(settings, "settings");
        try {
            ProviderPreset preset = ProviderPreset.named(settings.provider());
            return settings.providerUrl().or(preset::defaultUrl).map(URI::getHost);
        } catch (IllegalArgumentException unknownProvider) {
            return Optional.empty();
        }
    }

    private static ProviderSettings resolve(ProviderPreset preset, ProviderSettings settings) {
        URI url = settings.providerUrl().or(preset::defaultUrl).orElseThrow(() -> new IllegalArgumentException(
                "idp_provider_url: absent (expected: the issuer URL, required for idp_provider " + preset.id() + ")"));
        if (!url.isAbsolute() || url.getHost() == null
                || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme()))) {
            throw new IllegalArgumentException("idp_provider_url: " + url + " (expected: an absolute http(s) URL)");
        }
        List<String> scopes = new ArrayList<>(settings.scopes().isEmpty() ? preset.scopesFor(url) : settings.scopes());
        if (preset != ProviderPreset.GITHUB && !scopes.contains("openid")) {
            scopes.add(0, "openid");
        }
        Map<String, String> params = new LinkedHashMap<>(preset.requestParams());
        params.putAll(settings.requestParams());
        return new ProviderSettings(preset.id(), Optional.of(url), settings.clientId(), settings.clientSecret(),
                scopes, params);
    }
}
