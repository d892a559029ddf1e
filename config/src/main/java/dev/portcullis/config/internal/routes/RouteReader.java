package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.describe;

import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.source.UnimplementedKeys;
import dev.portcullis.config.internal.source.UnknownKeys;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.KindCheck;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.AccessRules;
import dev.portcullis.config.route.HeaderRules;
import dev.portcullis.config.route.RequestRewrite;
import dev.portcullis.config.route.JwtIssuerFormat;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.config.route.RouteIdpClient;
import dev.portcullis.config.route.RouteMatch;
import dev.portcullis.config.route.RoutePortal;
import dev.portcullis.config.route.RouteTimeouts;
import dev.portcullis.config.route.UpstreamTls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one route entry into a {@link Route}, reporting every problem it has. Route options that are
 * accepted but not implemented are validated, and each one set earns a warning naming its YAML path, as
 * does each option without effect in Portcullis; options that must not be ignored are refused
 * ({@link UnimplementedKeys}).
 */
final class RouteReader {

    /** What an {@code Authorization: Bearer} value may hold (RFC 6750 §2.1 b64token, and the JWT alphabet). */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    private final ValueReaders readers;
    private final Diagnostics diagnostics;
    private final Duration defaultTimeout;
    private final boolean passIdentityHeaders;
    private final JwtIssuerFormat jwtIssuerFormat;
    private final RouteNames names;
    private final RouteMatchReader matches;
    private final ActionReader actions;
    private final RewriteReader rewrites;
    private final HeaderRulesReader headers;
    private final UpstreamTlsReader upstreamTls;
    private final AccessRulesReader access;
    private final RoutePortalReader portal;

    /** @param forwardAuth whether {@code forward_auth_url} is set, so that a route may have no action */
    RouteReader(ValueReaders readers, Duration defaultTimeout, boolean passIdentityHeaders,
            JwtIssuerFormat jwtIssuerFormat, boolean forwardAuth, Optional<String> certificateAuthority,
            RouteNames names) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
        this.defaultTimeout = defaultTimeout;
        this.passIdentityHeaders = passIdentityHeaders;
        this.jwtIssuerFormat = jwtIssuerFormat;
        this.names = names;
        this.matches = new RouteMatchReader(readers);
        this.actions = new ActionReader(readers, forwardAuth);
        this.rewrites = new RewriteReader(readers);
        this.headers = new HeaderRulesReader(readers);
        this.upstreamTls = new UpstreamTlsReader(readers, certificateAuthority);
        this.access = new AccessRulesReader(readers);
        this.portal = new RoutePortalReader(readers);
    }

    /** The route, or empty after reporting its problems. */
    Optional<Route> read(Setting entry) {
        if (!(entry.value() instanceof Map<?, ?> map)) {
            diagnostics.problem(entry.at(), "expected a route (a map with from and to), found " + describe(entry.value()));
            return Optional.empty();
        }
        SettingMap route = SettingMap.ofYaml(entry.at(), map);
        checkKeys(route);
        int before = diagnostics.problemCount();
        Optional<RouteMatch> match = matches.read(route);
        boolean tcp = matches.tcpRoute(route);
        Optional<? extends RouteAction> action = actions.read(route, tcp);
        Optional<RequestRewrite> rewrite = rewrites.read(route);
        Optional<HeaderRules> headerRules = headers.read(route);
        ScalarReader scalars = readers.scalars();
        boolean websockets = route.get("allow_websockets").flatMap(scalars::bool).orElse(false);
        RouteTimeouts timeouts = new RouteTimeouts(
                // as in Pomerium, no default timeout for long-lived connections (WebSockets, TCP tunnels)
                route.get("timeout").flatMap(scalars::duration).orElse(websockets || tcp ? Duration.ZERO : defaultTimeout),
                route.get("idle_timeout").flatMap(scalars::duration).orElse(Duration.ZERO));
        Optional<UpstreamTls> tls = upstreamTls.read(route);
        Optional<AccessRules> rules = access.read(route);
        Optional<String> name = route.get("name").flatMap(scalars::text);
        boolean identityHeaders = route.get("pass_identity_headers").flatMap(scalars::bool).orElse(passIdentityHeaders);
        Optional<String> clientCa = clientCa(route);
        Optional<String> serviceAccountToken = serviceAccountToken(route);
        boolean showErrorDetails = route.get("show_error_details").flatMap(scalars::bool).orElse(false);
        JwtIssuerFormat issuerFormat = route.get("jwt_issuer_format")
                .flatMap(s -> scalars.choice(s, List.of(JwtIssuerFormat.WORDS)))
                .flatMap(JwtIssuerFormat::parse).orElse(jwtIssuerFormat);
        RoutePortal card = portal.read(route);
        RouteIdpClient idpClient = idpClient(route);
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new Route(entry.at().path(), names.nameFor(name, match.orElseThrow()), match.orElseThrow(),
                action.orElseThrow(), rewrite.orElseThrow(), headerRules.orElseThrow(), timeouts, tls.orElseThrow(),
                rules.orElseThrow(), websockets, identityHeaders, clientCa, serviceAccountToken, showErrorDetails,
                issuerFormat, card, idpClient));
    }

    /** {@code idp_client_id}, {@code idp_client_secret}: the route's own OAuth client; a blank value is refused. */
    private RouteIdpClient idpClient(SettingMap route) {
        return new RouteIdpClient(nonBlank(route, "idp_client_id"), nonBlank(route, "idp_client_secret"));
    }

    private Optional<String> nonBlank(SettingMap route, String key) {
        Optional<Setting> setting = route.get(key);
        Optional<String> value = setting.flatMap(readers.scalars()::text);
        if (value.isPresent() && value.get().isBlank()) {
            // never echo the value: it may be a secret
            diagnostics.problem(setting.get().at(), "is empty (remove it to use the top-level " + key + ")");
            return Optional.empty();
        }
        return value;
    }

    /** {@code tls_downstream_client_ca} (base64 PEM, PEM text or a path) or {@code tls_downstream_client_ca_file}. */
    private Optional<String> clientCa(SettingMap route) {
        return new AlternativeKeys(diagnostics).choose(route, "tls_downstream_client_ca", "tls_downstream_client_ca_file")
                .flatMap(s -> s.at().path().endsWith("_file")
                        ? readers.materials().pemFile(s, PemContent.CERTIFICATE)
                        : readers.materials().pem(s, PemContent.CERTIFICATE));
    }

    /**
     * {@code kubernetes_service_account_token}, or the contents of {@code kubernetes_service_account_token_file}
     * (surrounding white space removed); read once per load, where Pomerium reads the file at every request.
     */
    private Optional<String> serviceAccountToken(SettingMap route) {
        Optional<Setting> setting = new AlternativeKeys(diagnostics).choose(route, "kubernetes_service_account_token",
                "kubernetes_service_account_token_file");
        Optional<String> token = setting.flatMap(s -> s.at().path().endsWith("_file")
                ? readers.materials().fileText(s) : readers.scalars().text(s)).map(String::strip);
        if (token.isPresent() && !TOKEN.matcher(token.get()).matches()) {
            diagnostics.problem(setting.get().at(), "is not a bearer token (expected one line of printable characters)");
            return Optional.empty();
        }
        return token;
    }

    private void checkKeys(SettingMap route) {
        UnknownKeys unknown = new UnknownKeys(diagnostics);
        route.keys().forEach(k -> unknown.check(OptionScope.ROUTE, "", route.at(), k));
        new KindCheck(readers).checkAccepted(OptionScope.ROUTE, route);
        new UnimplementedKeys(diagnostics).check(OptionScope.ROUTE, route, Set.of());
    }
}
