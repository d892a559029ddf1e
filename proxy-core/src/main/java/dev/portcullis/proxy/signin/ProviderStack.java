package dev.portcullis.proxy.signin;

import dev.portcullis.authn.builtin.BuiltinIdentityProvider;
import dev.portcullis.authn.builtin.BuiltinSignIn;
import dev.portcullis.authn.passkey.PasskeyChallenges;
import dev.portcullis.authn.passkey.PasskeyRegistration;
import dev.portcullis.authn.passkey.PasskeySignIn;
import dev.portcullis.authn.passkey.PasskeyStore;
import dev.portcullis.authn.passkey.RelyingParty;
import dev.portcullis.proxy.pages.PasskeyScript;
import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.IdentityProviders;
import dev.portcullis.authn.idp.ProviderSettings;
import dev.portcullis.authn.session.Session;
import dev.portcullis.config.Options;
import dev.portcullis.config.route.Route;
import dev.portcullis.proxy.metrics.TimedIdentityProvider;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param routeClientSettings the settings of routes' own OAuth clients ({@code idp_client_id} on a route), by
 *                        client id
 * @param routeClients    those clients, each with its one renewer, by client id
 */
record ProviderStack(Options.IdentityProviderOptions idp, Optional<URI> authenticateUrl, Optional<IdentityProvider> provider,
        Optional<SessionRefresher> refresher, Optional<Builtin> builtin, Optional<String> remoteHost,
        Map<String, ProviderSettings> routeClientSettings, Map<String, Client> routeClients) {

    /** The name authenticators show beside a passkey of this proxy. */
    static final String RELYING_PARTY_NAME = "Portcullis";

    /** The built-in provider's parts: the provider, the password and TOTP checks, the users file, the passkeys. */
    record Builtin(BuiltinIdentityProvider provider, BuiltinSignIn checks, UsersFileWatch usersFile, Passkeys passkeys) {}

    /**
     * The built-in users' passkeys, for the relying party of the authenticate service URL.
     *
     * @param store        the passkeys file beside the users file
     * @param registration adds a passkey
     * @param signIn       signs in with one
     */
    record Passkeys(RelyingParty relyingParty, PasskeyStore store, PasskeyRegistration registration, PasskeySignIn signIn) {}

    /**
     * One OAuth client of the provider, with its one renewer.
     *
     * @param key       what sessions made through it record ({@link Session#idpClientId()}): empty for the
     *                  top-level client, the client id for a route's own
     * @param provider  the provider through that client; empty when it cannot sign anyone in
     * @param refresher renews that client's sessions
     */
    record Client(Optional<String> key, Optional<IdentityProvider> provider, Optional<SessionRefresher> refresher) {}

    /** The client people sign in to {@code route} through: a route's own, or the top-level one. */
    Client clientFor(Optional<Route> route) {
        return client(route.flatMap(r -> clientKey(r, idp)));
    }

    /** The client {@code session} was made through. */
    Client clientOf(Session session) {
        return client(session.idpClientId());
    }

    /** Whether {@code session} was made through the client {@code route} signs people in through. */
    boolean accepts(Session session, Optional<Route> route) {
        return session.idpClientId().equals(route.flatMap(r -> clientKey(r, idp)));
    }

    /**
     * Whether the person of {@code session} may still be signed in: with the built-in provider, whether they are still in
     * the users file (a user removed with {@code portcullis users remove} is signed out everywhere within the file's
     * check interval); with any other provider, always (the provider decides at renewal).
     */
    boolean stillKnows(Session session) {
        return builtin.isEmpty() || builtin.get().usersFile().get().find(session.userId()).isPresent();
    }

    private Client client(Optional<String> key) {
        if (key.isEmpty()) {
            return new Client(key, provider, refresher);
        }
        // a route's client that cannot be built (no client id or secret anywhere) signs nobody in: fail closed
        return routeClients.getOrDefault(key.get(), new Client(key, Optional.empty(), Optional.empty()));
    }

    /**
     * The key of the route's own OAuth client (its client id, or the top-level id when it sets only a secret);
     * empty when it uses the top-level client (also when its id and secret are the top-level ones), or the provider
     * is the built-in one (no OAuth client).
     */
    private static Optional<String> clientKey(Route route, Options.IdentityProviderOptions idp) {
        if (!route.idpClient().isOwn() || idp.isBuiltin()) {
            return Optional.empty();
        }
        Optional<String> clientId = route.idpClient().clientId().or(idp::clientId);
        Optional<String> secret = route.idpClient().clientSecret().or(idp::clientSecret);
        if (clientId.equals(idp.clientId()) && secret.equals(idp.clientSecret())) {
            return Optional.empty();
        }
        return Optional.of(clientId.orElse(""));
    }

    /** The settings of every route's own client, by key: the top-level ones with the route's id and secret. */
    private static Map<String, ProviderSettings> routeClientSettings(Options options) {
        Options.IdentityProviderOptions idp = options.identityProvider();
        Map<String, ProviderSettings> settings = new LinkedHashMap<>();
        if (idp.provider().isEmpty() || idp.isBuiltin()) {
            return settings;
        }
        for (Route route : options.routes()) {
            Optional<String> key = clientKey(route, idp);
            Optional<String> secret = route.idpClient().clientSecret().or(idp::clientSecret);
            if (key.isPresent() && !key.get().isEmpty() && secret.isPresent()) {
                // the first route naming a client id decides its secret
                settings.putIfAbsent(key.get(), new ProviderSettings(idp.provider().get(), idp.providerUrl(), key.get(),
                        secret.get(), idp.scopes(), idp.requestParams()));
            }
        }
        return Map.copyOf(settings);
    }

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
                    BuiltinSignInEndpoints.signInPage(authenticateUrl.get()), users, runtime.stores().builtin().codes(),
                    runtime.clock());
            builtin = Optional.of(new Builtin(own, new BuiltinSignIn(users, runtime.providerCalls(), runtime.clock(),
                    runtime.stores().builtin()), users, passkeys(authenticateUrl.get(), users, runtime)));
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
        Optional<IdentityProvider> observed = provider.map(p -> observed(p, runtime));
        Map<String, ProviderSettings> routeSettings = routeClientSettings(options);
        Map<String, Client> routeClients = new LinkedHashMap<>();
        routeSettings.forEach((key, settings) -> {
            IdentityProvider own = observed(IdentityProviders.create(settings, runtime.providerCalls(), runtime.clock()),
                    runtime);
            routeClients.put(key, new Client(Optional.of(key), Optional.of(own), Optional.of(refresher(own, runtime))));
        });
        return new ProviderStack(idp, authenticateUrl, observed, observed.map(p -> refresher(p, runtime)),
                builtin, remoteHost, routeSettings, Map.copyOf(routeClients));
    }

    /**
     * The passkeys of the users in {@code users}: kept in the file beside the users file, their challenges used once
     * in the store where sign-in steps are (so across replicas with Redis or PostgreSQL), sign-ins slowed by the
     * password throttle, and files read on the provider calls' executor, never on an event loop.
     */
    private static Passkeys passkeys(URI authenticateUrl, UsersFileWatch users, SignInRuntime runtime) {
        PasskeyScript.load();
        RelyingParty relyingParty = RelyingParty.of(authenticateUrl, RELYING_PARTY_NAME);
        PasskeyStore store = new PasskeyStore(PasskeyStore.besideUsersFile(users.file()));
        PasskeyChallenges challenges = new PasskeyChallenges(runtime.stores().usedSignInSteps(), runtime.clock());
        return new Passkeys(relyingParty, store,
                new PasskeyRegistration(relyingParty, users, store, challenges, runtime.providerCalls(), runtime.clock()),
                new PasskeySignIn(relyingParty, users, store, challenges, runtime.stores().builtin().throttle(),
                        runtime.providerCalls(), runtime.clock()));
    }

    private static IdentityProvider observed(IdentityProvider provider, SignInRuntime runtime) {
        return runtime.tracing().traced(TimedIdentityProvider.wrap(provider, runtime.events()));
    }

    private static SessionRefresher refresher(IdentityProvider provider, SignInRuntime runtime) {
        return new SessionRefresher(provider, runtime.stores(), runtime.clock(), runtime.events());
    }

    /** Whether this stack was built from the same provider settings (top-level and routes' own clients) as {@code options} names. */
    boolean servesSettingsOf(Options options) {
        return idp.equals(options.identityProvider()) && authenticateUrl.equals(options.authenticateServiceUrl())
                && routeClientSettings.equals(routeClientSettings(options));
    }
}
