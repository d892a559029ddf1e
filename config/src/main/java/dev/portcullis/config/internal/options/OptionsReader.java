package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.Options;
import dev.portcullis.config.Options.CookieOptions;
import dev.portcullis.config.Options.ForwardAuthOptions;
import dev.portcullis.config.Options.IdentityOptions;
import dev.portcullis.config.Options.IdentityProviderOptions;
import dev.portcullis.config.Options.MetricsOptions;
import dev.portcullis.config.Options.ForwardingOptions;
import dev.portcullis.config.Options.Secrets;
import dev.portcullis.config.Options.ServerOptions;
import dev.portcullis.config.Options.TracingOptions;
import dev.portcullis.config.SigningKeyCheck;
import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.routes.RoutesReader;
import dev.portcullis.config.internal.source.GuidePlaceholders;
import dev.portcullis.config.internal.source.UnimplementedKeys;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.KindCheck;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.storage.StorageOptions;
import dev.portcullis.config.route.Route;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the merged top-level settings into {@link Options}: every implemented key (listener, secrets,
 * identity provider, cookies, identity headers, forward-auth, metrics, tracing), every accepted key validated by its kind, then
 * the routes. Returns empty when anything was wrong; the problems are in the {@link Diagnostics}.
 */
public final class OptionsReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;
    private final Map<String, String> environment;
    private final SigningKeyCheck signingKeyCheck;
    private final boolean mayWriteGeneratedSecrets;

    /**
     * @param environment              the process environment (for the default data directory)
     * @param signingKeyCheck          the signer's judgement of {@code signing_key}
     * @param mayWriteGeneratedSecrets whether missing secrets are generated and kept ({@code serve}) or only
     *                                 checked to be possible ({@code validate})
     */
    public OptionsReader(ValueReaders readers, Map<String, String> environment, SigningKeyCheck signingKeyCheck,
            boolean mayWriteGeneratedSecrets) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
        this.environment = environment;
        this.signingKeyCheck = signingKeyCheck;
        this.mayWriteGeneratedSecrets = mayWriteGeneratedSecrets;
    }

    /**
     * With {@code cookie_domain}: each route whose host that domain does not cover. The browser drops
     * a session cookie set for another domain, so signing in to such a route would loop.
     */
    private void warnUncoveredHosts(SettingMap top, CookieOptions cookies, List<Route> routes) {
        if (cookies.domain().isEmpty()) {
            return;
        }
        String domain = cookies.domain().get();
        for (Route route : routes) {
            String host = route.match().host();
            String named = host.startsWith("*.") ? host.substring(2) : host;
            boolean covered = named.equals(domain) || named.endsWith("." + domain) || host.equals("*");
            if (!covered && !route.access().compiled().isPublic()) {
                diagnostics.warning(top.get("cookie_domain").map(s -> s.at().toString()).orElse("cookie_domain") + ": "
                        + domain + " does not cover " + route.yamlPath() + " (" + host + "): browsers drop the session"
                        + " cookie there, so signing in to it would loop; set cookie_domain to a parent of every route's"
                        + " host, or leave it unset");
            }
        }
    }

    /** The options, or empty after reporting at least one problem. */
    public Optional<Options> read(SettingMap top) {
        int before = diagnostics.problemCount();
        new KindCheck(readers).checkAccepted(OptionScope.TOP_LEVEL, top, StorageOptionsReader.keys());
        new UnimplementedKeys(diagnostics).check(OptionScope.TOP_LEVEL, top, TracingOptionsReader.EXPLAINED);
        GuidePlaceholders placeholders = new GuidePlaceholders(diagnostics);
        top.keys().stream().filter(key -> !key.equals("policy") && !key.equals("routes"))
                .forEach(key -> placeholders.warnAbout(top.get(key).orElseThrow()));
        top.get("services").ifPresent(this::checkServices);
        StorageOptions storage = new StorageOptionsReader(readers).read(top);
        ServerOptions server = new ServerOptionsReader(readers).read(top);
        ForwardingOptions forwarding = forwarding(top);
        Optional<Secrets> secrets = new SecretsReader(readers, environment, mayWriteGeneratedSecrets).read(top);
        Optional<URI> authenticateServiceUrl = top.get("authenticate_service_url").flatMap(readers.scalars()::httpUrl);
        String callbackPath = top.get("authenticate_callback_path").flatMap(this::absolutePath).orElse("/oauth2/callback");
        Map<String, String> responseHeaders = new ResponseHeadersReader(readers).read(top);
        String logLevel = choice(top, "log_level").orElse("info");
        String logFormat = choice(top, "log_format").orElse("");
        IdentityProviderOptions identityProvider = new IdentityProviderReader(readers).read(top);
        CookieOptions cookies = new CookieOptionsReader(readers).read(top);
        IdentityOptions identity = new IdentityOptionsReader(readers, signingKeyCheck).read(top);
        ForwardAuthReader forwardAuthReader = new ForwardAuthReader(readers);
        ForwardAuthOptions forwardAuth = forwardAuthReader.read(top);
        // a mistake in forward_auth_url is reported there alone, not again at every route without an action
        List<Route> routes = new RoutesReader(readers, forwarding.defaultUpstreamTimeout(), identity.passIdentityHeaders(),
                identity.jwtIssuerFormat(), top.has("forward_auth_url"), certificateAuthority(top)).read(top);
        forwardAuthReader.checkOwnHost(top, forwardAuth, authenticateServiceUrl, routes);
        warnUncoveredHosts(top, cookies, routes);
        new SignInGapWarning(diagnostics).warnAbout(identityProvider, authenticateServiceUrl, routes);
        new RouteIdpClientWarning(diagnostics).warnAbout(identityProvider, routes);
        if (server.insecureServer()) {
            routes.stream().filter(r -> r.downstreamClientCaPem().isPresent()).forEach(r -> diagnostics.warning(
                    r.yamlPath() + ".tls_downstream_client_ca: client certificates need TLS on this listener; with"
                            + " insecure_server they are never asked for, so every request to this route is refused (495)"));
        }
        MetricsOptions metrics = new MetricsOptionsReader(readers).read(top);
        TracingOptions tracing = new TracingOptionsReader(readers).read(top);
        if (diagnostics.problemCount() > before || secrets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Options(server, forwarding, secrets.get(), authenticateServiceUrl, callbackPath,
                responseHeaders, logLevel, logFormat, routes, identityProvider, cookies, identity, forwardAuth, metrics,
                tracing, storage));
    }

    /** {@code certificate_authority} (base64 PEM, PEM text or a path) or {@code certificate_authority_file}. */
    private Optional<String> certificateAuthority(SettingMap top) {
        return new AlternativeKeys(diagnostics).choose(top, "certificate_authority", "certificate_authority_file")
                .flatMap(s -> s.at().path().endsWith("_file")
                        ? readers.materials().pemFile(s, PemContent.CERTIFICATE)
                        : readers.materials().pem(s, PemContent.CERTIFICATE));
    }

    private ForwardingOptions forwarding(SettingMap top) {
        ScalarReader scalars = readers.scalars();
        return new ForwardingOptions(
                top.get("xff_num_trusted_hops").flatMap(s -> scalars.integer(s, 0, Integer.MAX_VALUE)).orElse(0),
                top.get("skip_xff_append").flatMap(scalars::bool).orElse(false),
                top.get("default_upstream_timeout").flatMap(scalars::duration).orElse(Duration.ofSeconds(30)));
    }

    /** Only {@code all}: Pomerium's split modes run parts of it as separate processes; Portcullis is one. */
    private void checkServices(Setting services) {
        readers.scalars().text(services).map(String::strip).filter(s -> !s.equalsIgnoreCase("all")).ifPresent(s ->
                diagnostics.problem(services.at(), quote(s) + " is not supported: Portcullis runs every service"
                        + " (authenticate, authorize, proxy, databroker) in one process, so split modes do not exist;"
                        + " remove services or set it to all"));
    }

    private Optional<String> absolutePath(Setting s) {
        Optional<String> path = readers.scalars().text(s).map(String::strip);
        if (path.isPresent() && !path.get().startsWith("/")) {
            diagnostics.problem(s.at(), quote(path.get()) + " does not start with / (expected e.g. /oauth2/callback)");
            return Optional.empty();
        }
        return path;
    }

    private Optional<String> choice(SettingMap top, String key) {
        List<String> choices = OptionCatalogue.find(OptionScope.TOP_LEVEL, key).orElseThrow().choices();
        return top.get(key).flatMap(s -> readers.scalars().choice(s, choices));
    }
}
