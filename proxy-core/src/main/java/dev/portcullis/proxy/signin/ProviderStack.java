package dev.portcullis.proxy.signin;

import dev.portcullis.authn.builtin.BuiltinIdentityProvider;
import dev.portcullis.authn.builtin.BuiltinSignIn;
import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviders;
import dev.portcullis.authn.idp.ProviderSettings;
import dev.portcullis.config.Options;
import dev.portcullis.proxy.metrics.TimedIdentityProvider;
import java.net.URI;
import java.util.Optional;

/**
 * The identity provider of a configuration, observed for metrics and tracing, with what it keeps
 * between requests: the renewals in flight here and, for the built-in provider, the watched users
 * file. Built from the {@code idp_*} settings and the authenticate URL, and kept across a reload
 * that leaves those unchanged. What must be remembered (failed attempts, used TOTP steps, codes,
 * renewals) sits in the runtime's {@link SignInStores}, so no reload forgets a throttled attacker
 * or a used code.
 *
 * @param idp             the settings it was built from
 * @param authenticateUrl the authenticate service URL it was built for
 * @param provider        the provider; empty when none is configured, or its client id or secret is missing
 * @param refresher       renews due sessions with {@code provider}
 * @param builtin         with {@code idp_provider: builtin}: its own sign-in page's parts
 * @param remoteHost      the host the proxy calls for the provider ({@code accounts.google.com}), named on the
 *                        page shown when it cannot be reached; empty for the built-in provider
 */
record ProviderStack(Options.IdentityProviderOptions idp, Optional<URI> authenticateUrl, Optional<IdentityProvider> provider,
        Optional<SessionRefresher> refresher, Optional<Builtin> builtin, Optional<String> remoteHost) {

    /** The built-in provider's parts: the provider, the password and TOTP checks, the users file. */
    record Builtin(BuiltinIdentityProvider provider, BuiltinSignIn checks, UsersFileWatch usersFile) {}

    /**
     * Builds the provider of {@code options}.
     *
     * @throws IllegalArgumentException when its settings cannot be used, or the users file is malformed
     */
    static ProviderStack of(Options options, SignInRuntime runtime) {
        Options.IdentityProviderOptions idp = options.identityProvider();
        Optional<URI> authenticateUrl = options.authenticateServiceUrl();
        Optional<Builtin> builtin = Optional.empty();
        Optional<IdentityProvider> provider;
        Optional<String> remoteHost = Optional.empty();
        if (idp.isBuiltin() && authenticateUrl.isPresent()) {
            // Users from the file, signing in on the authenticate host's own page; a provider like any other.
            UsersFileWatch users = UsersFileWatch.start(idp.builtinUsersFile().orElseThrow(
                    () -> new IllegalArgumentException("builtin_users_file: required with idp_provider builtin")));
            BuiltinIdentityProvider own = new BuiltinIdentityProvider(
                    BuiltinSignInEndpoints.signInPage(authenticateUrl.get()), runtime.stores().builtin().codes(), runtime.clock());
            builtin = Optional.of(new Builtin(own, new BuiltinSignIn(users, runtime.providerCalls(), runtime.clock(),
                    runtime.stores().builtin()), users));
            provider = Optional.of(own);
        } else {
            // without its client id or secret, no sign-in can succeed: no provider, and the page says what is missing
            Optional<ProviderSettings> settings = idp.provider()
                    .filter(name -> idp.clientId().isPresent() && idp.clientSecret().isPresent())
                    .map(name -> new ProviderSettings(name, idp.providerUrl(), idp.clientId().get(),
                            idp.clientSecret().get(), idp.scopes(), idp.requestParams()));
            provider = settings.map(s -> IdentityProviders.create(s, runtime.providerCalls(), runtime.clock()));
            remoteHost = settings.flatMap(IdentityProviders::hostOf);
        }
        Optional<IdentityProvider> observed =
                provider.map(p -> runtime.tracing().traced(TimedIdentityProvider.wrap(p, runtime.events())));
        return new ProviderStack(idp, authenticateUrl, observed,
                observed.map(p -> new SessionRefresher(p, runtime.stores(), runtime.clock(), runtime.events())),
                builtin, remoteHost);
    }

    /** Whether this stack was built from the same provider settings as {@code options} names. */
    boolean servesSettingsOf(Options options) {
        return idp.equals(options.identityProvider()) && authenticateUrl.equals(options.authenticateServiceUrl());
    }
}
