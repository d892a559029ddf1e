package dev.portcullis.config.catalogue;

import static dev.portcullis.config.catalogue.ValueKind.ADDRESS;
import static dev.portcullis.config.catalogue.ValueKind.BOOLEAN;
import static dev.portcullis.config.catalogue.ValueKind.DURATION;
import static dev.portcullis.config.catalogue.ValueKind.FILE;
import static dev.portcullis.config.catalogue.ValueKind.INTEGER;
import static dev.portcullis.config.catalogue.ValueKind.LIST;
import static dev.portcullis.config.catalogue.ValueKind.LIST_OR_MAP;
import static dev.portcullis.config.catalogue.ValueKind.MAP;
import static dev.portcullis.config.catalogue.ValueKind.NUMBER;
import static dev.portcullis.config.catalogue.ValueKind.PEM;
import static dev.portcullis.config.catalogue.ValueKind.ROUTES;
import static dev.portcullis.config.catalogue.ValueKind.SECRET;
import static dev.portcullis.config.catalogue.ValueKind.SECTION;
import static dev.portcullis.config.catalogue.ValueKind.STRING;
import static dev.portcullis.config.catalogue.ValueKind.STRUCTURE;
import static dev.portcullis.config.catalogue.ValueKind.URL;

import dev.portcullis.config.route.JwtIssuerFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every key Portcullis knows, top-level and per route, in the order the reference documentation lists
 * them. A key missing here is reported as unknown; a key here with status
 * {@link OptionStatus#ACCEPTED} is validated but has no effect yet. {@code docs/reference.md} must
 * document every one of them (a test checks it).
 */
public final class OptionCatalogue {

    private static final String NONE = "—";
    private static final List<OptionKey> ALL = Stream.of(
                    listener(), certificates(), signIn(), cookiesAndSecrets(), identityAndForwarding(),
                    observability(), clientCertificatesAndStorage(), routeLists(),
                    routeMatchAndAction(), routeRewritesAndHeaders(), routeUpstream(), routeAccess())
            .flatMap(List::stream)
            .toList();
    private static final Map<String, OptionKey> BY_SCOPED_KEY = index(ALL);

    private OptionCatalogue() {}

    /** Every known key, top-level ones first. */
    public static List<OptionKey> all() {
        return ALL;
    }

    /** The key {@code key} (dotted when nested) in {@code scope}. */
    public static Optional<OptionKey> find(OptionScope scope, String key) {
        return Optional.ofNullable(BY_SCOPED_KEY.get(scope + ":" + key));
    }

    /** The keys directly inside {@code parent} ({@code ""} for the scope's top, or a section name). */
    public static List<OptionKey> childrenOf(OptionScope scope, String parent) {
        return ALL.stream().filter(k -> k.scope() == scope && k.parent().equals(parent)).toList();
    }

    private static Map<String, OptionKey> index(List<OptionKey> keys) {
        Map<String, OptionKey> index = new LinkedHashMap<>();
        for (OptionKey k : keys) {
            if (index.put(k.scope() + ":" + k.key(), k) != null) {
                throw new IllegalStateException("listed twice: " + k.key());
            }
        }
        return Map.copyOf(index);
    }

    private static List<OptionKey> listener() {
        return List.of(
                top("address", ADDRESS, ":443", "listen address, `host:port` or `:port`"),
                top("insecure_server", BOOLEAN, "false",
                        "serve plain HTTP on `address` (TLS ends in front, e.g. at DSM's nginx)"),
                top("http_redirect_addr", ADDRESS, NONE,
                        "second plain-HTTP listener (e.g. `:80`) that redirects to https and answers ACME HTTP-01"),
                top("tls_min_version", STRING, "1.2", "lowest TLS version offered: `1.2` or `1.3` (Portcullis only)")
                        .withChoices("1.2", "1.3", "TLSv1.2", "TLSv1.3"),
                top("timeout_read", DURATION, "30s",
                        "longest time to read a request head from its first byte, and a whole request from its head; `0`: none"),
                later("timeout_write", DURATION, "0", "longest time to write a whole response; `0`: none"),
                top("timeout_idle", DURATION, "5m", "longest time a client connection may pass with no byte either way"),
                top("services", STRING, "all", "which services run; only `all` (split modes are not supported)")
                        .withChoices("all"),
                later("grpc_address", STRING, NONE, "Pomerium's internal gRPC listener; one process needs none"),
                later("grpc_insecure", BOOLEAN, NONE, "plain-text internal gRPC; one process needs none"),
                later("dns_lookup_family", STRING, NONE,
                        "upstream name resolution: `V4_ONLY`, `V6_ONLY`, `V4_PREFERRED`, `AUTO`, `ALL`"),
                top("use_proxy_protocol", BOOLEAN, "false", "each connection to `address` must begin with a PROXY"
                        + " protocol header (v1 or v2, HAProxy's `send-proxy`); its source is the client address;"
                        + " a connection without one is closed"));
    }

    private static List<OptionKey> certificates() {
        return List.of(
                top("certificate", PEM, NONE,
                        "server certificate chain (base64 PEM, PEM text or a file path); pairs with `certificate_key`"),
                top("certificate_key", PEM, NONE, "private key of `certificate` (base64 PEM, PEM text or a file path)"),
                top("certificate_file", FILE, NONE, "path of a PEM certificate chain; pairs with `certificate_key_file`"),
                top("certificate_key_file", FILE, NONE, "path of the PEM private key of `certificate_file`"),
                top("certificates", STRUCTURE, NONE, "list of `{cert, key}` pairs, chosen by SNI"),
                top("certificates[].cert", PEM, NONE, "certificate chain: a file path or base64 PEM"),
                top("certificates[].key", PEM, NONE, "its private key: a file path or base64 PEM"),
                top("certificate_authority", PEM, NONE,
                        "roots https upstreams are trusted by besides the system's (routes without `tls_custom_ca`)"),
                top("certificate_authority_file", FILE, NONE, "path of those roots"),
                top("certificates_from_traefik_acme", FILE, NONE,
                        "path of a Traefik `acme.json`; every certificate of every resolver in it is served"),
                top("autocert", BOOLEAN, "false", "get certificates for the routes' hosts from an ACME CA (Let's Encrypt);"
                        + " not with `insecure_server`"),
                top("autocert_dir", STRING, "`/data/autocert`", "where the ACME account and certificates are kept"),
                top("autocert_ca", URL, "Let's Encrypt", "ACME directory URL, e.g. `https://acme.zerossl.com/v2/DV90`"),
                top("autocert_email", STRING, NONE, "ACME account email"),
                top("autocert_use_staging", BOOLEAN, "false", "use Let's Encrypt's staging directory (unless `autocert_ca`"
                        + " is set)"),
                top("autocert_must_staple", BOOLEAN, "false", "request OCSP must-staple certificates"),
                top("autocert_eab_key_id", STRING, NONE, "ACME external account binding key id; with `autocert_eab_mac_key`"),
                top("autocert_eab_mac_key", STRING, NONE, "ACME external account binding MAC key (base64url, as the CA"
                        + " gives it); with `autocert_eab_key_id`"),
                top("autocert_trusted_ca", PEM, NONE, "roots to trust for the ACME server's own HTTPS (a private ACME"
                        + " server, Pebble), base64 PEM, PEM text or a file path"),
                top("autocert_trusted_ca_file", FILE, NONE, "path of those roots"));
    }

    private static List<OptionKey> signIn() {
        return List.of(
                top("authenticate_service_url", URL, NONE,
                        "public URL of the sign-in host, e.g. `https://authenticate.int.nas.example`"),
                top("authenticate_callback_path", STRING, "/oauth2/callback",
                        "identity provider redirect path on the sign-in host"),
                top("idp_provider", STRING, NONE,
                        "identity provider users sign in with; `builtin` keeps users in `builtin_users_file`;"
                                + " `apple` is recognised but not supported yet")
                        .withChoices("builtin", "oidc", "google", "azure", "github", "gitlab", "okta", "auth0", "cognito",
                                "onelogin", "ping", "apple"),
                top("idp_provider_url", URL,
                        "per provider: `google`, `github`, `gitlab`, `azure` (common endpoint), `onelogin`; required for the others",
                        "issuer URL (discovery at `/.well-known/openid-configuration`)"),
                top("idp_client_id", STRING, "required with `idp_provider` (not `builtin`)", "OAuth client id"),
                top("idp_client_secret", STRING, "required with `idp_provider` (not `builtin`)",
                        "OAuth client secret (or `idp_client_secret_file`)"),
                top("idp_client_secret_file", FILE, NONE, "file holding the OAuth client secret"),
                top("idp_scopes", LIST, "per provider", "OAuth scopes, comma- or space-separated, e.g. `openid,email,profile`"),
                top("idp_request_params", MAP, NONE,
                        "extra parameters of the authorization request, e.g. `{prompt: select_account}`"),
                top("signout_redirect_url", URL, NONE, "where sign-out ends when the request names no place"),
                top("programmatic_redirect_domain_whitelist", LIST, "localhost",
                        "host names programmatic login may redirect to; `localhost` also admits loopback addresses"
                                + " (`http://127.0.0.1:<port>`, where pomerium-cli waits)"),
                top("builtin_users_file", FILE, "required with `idp_provider: builtin`",
                        "YAML file of the built-in provider's users (made with `portcullis users add`)"));
    }

    private static List<OptionKey> cookiesAndSecrets() {
        return List.of(
                top("cookie_secret", SECRET, "required", "32 random bytes, base64: seals cookies and OAuth state"),
                top("cookie_secret_file", FILE, NONE, "file holding `cookie_secret` (Docker secrets)"),
                top("shared_secret", SECRET, "required",
                        "32 random bytes, base64: signs hand-offs and URLs, derives the default signing key"),
                top("shared_secret_file", FILE, NONE, "file holding `shared_secret` (Docker secrets)"),
                top("cookie_name", STRING, "_pomerium",
                        "route session cookie name; the sign-in host's is `<name>_authenticate`, the CSRF cookie `<name>_csrf`"),
                top("cookie_domain", STRING, "host-only", "cookie Domain attribute (a leading dot is dropped)"),
                top("cookie_expire", DURATION, "14h", "session lifetime, at least `1s`"),
                top("cookie_secure", BOOLEAN, "true", "cookie Secure attribute"),
                top("cookie_http_only", BOOLEAN, "true", "cookie HttpOnly attribute"),
                top("cookie_same_site", STRING, "lax", "cookie SameSite attribute; `none` needs `cookie_secure: true`")
                        .withChoices("strict", "lax", "none"),
                top("signing_key", PEM, "derived from `shared_secret`",
                        "base64 of the PEM private key signing the JWT assertion (EC → ES256, RSA → RS256); several"
                                + " keys: the first signs, all are published"),
                top("signing_key_file", FILE, "derived from `shared_secret`", "file holding `signing_key`"));
    }

    private static List<OptionKey> identityAndForwarding() {
        return List.of(
                top("jwt_claims_headers", LIST_OR_MAP, NONE,
                        "claims sent upstream as headers: list (`[email, groups]` → `X-Pomerium-Claim-email`, …), CSV,"
                                + " or map `{X-Email: email}`"),
                top("pass_identity_headers", BOOLEAN, "true",
                        "send the JWT assertion upstream (default for routes; Pomerium ≥0.10: false)"),
                top("jwt_issuer_format", STRING, "`hostOnly`",
                        "the assertion's `iss`: `hostOnly` (`app.example.com`) or `uri` (`https://app.example.com/`);"
                                + " default for routes").withChoices(JwtIssuerFormat.WORDS),
                top("forward_auth_url", URL, NONE,
                        "host (and port) answering forward-auth checks of nginx, Traefik and Caddy, e.g."
                                + " `https://forwardauth.example.com`; no path; a host of its own"),
                top("forward_auth_identity_headers", BOOLEAN, "false",
                        "also put `Remote-User`, `Remote-Email`, `Remote-Groups`, `Remote-Name` and"
                                + " `X-Auth-Request-User`/`-Email`/`-Groups` in forward-auth answers"),
                top("xff_num_trusted_hops", INTEGER, "0", "how many front proxies' `X-Forwarded-For` entries to believe"),
                top("skip_xff_append", BOOLEAN, "false", "do not append the client address to `X-Forwarded-For`"),
                top("default_upstream_timeout", DURATION, "30s", "a route's `timeout` when it sets none"),
                top("set_response_headers", MAP, "`X-Frame-Options: SAMEORIGIN`, `X-XSS-Protection: 1; mode=block`",
                        "headers added to every response; `disable` clears them (HSTS is added when serving TLS)"),
                top("headers", MAP, NONE, "older name of `set_response_headers`"));
    }

    private static List<OptionKey> observability() {
        return List.of(
                top("log_level", STRING, "info", "log verbosity").withChoices("debug", "info", "warn", "error"),
                top("log_format", STRING, "`console` on a terminal, else `json`",
                        "`json` (one JSON object per line) or `console` (readable lines)"
                        + " ([logging](logging.md))").withChoices("json", "console"),
                top("metrics_address", ADDRESS, "off",
                        "plain-HTTP listener serving Prometheus `/metrics`, e.g. `:9090` ([metrics](metrics.md))"),
                top("metrics_basic_auth", STRING, NONE, "base64 `user:pass` required to read `/metrics`"),
                top("tracing_provider", STRING, "off", "older tracing: only `jaeger` (spans go to the collector's"
                        + " OTLP/HTTP port; [tracing](tracing.md)); `zipkin`, `datadog`: warning, tracing off"),
                top("tracing_sample_rate", NUMBER, "`0.0001`", "older: share of new traces recorded, 0 to 1"),
                top("tracing_jaeger_collector_endpoint", STRING, NONE, "older: Jaeger collector URL, e.g."
                        + " `http://jaeger:14268/api/traces`; spans go to `http://jaeger:4318/v1/traces` (OTLP/HTTP,"
                        + " Jaeger 1.35 or later)"),
                later("tracing_jaeger_agent_endpoint", STRING, NONE, "Jaeger agent `host:port`"),
                later("tracing_zipkin_endpoint", STRING, NONE, "Zipkin URL"),
                top("otel_traces_exporter", STRING, "off", "`otlp` turns tracing on, `none` off ([tracing](tracing.md));"
                        + " wins over `tracing_provider`").withChoices("otlp", "none"),
                top("otel_exporter_otlp_endpoint", URL, "`http://localhost:4318`",
                        "OTLP/HTTP base URL, e.g. `http://jaeger:4318`; `/v1/traces` is appended"),
                top("otel_exporter_otlp_protocol", STRING, "`http/protobuf`",
                        "`http/protobuf`; `grpc` is refused (not supported)").withChoices("http/protobuf", "grpc"),
                top("otel_exporter_otlp_headers", MAP, NONE,
                        "headers sent to the OTLP endpoint, e.g. `Authorization=Bearer abc` (values never logged)"),
                top("otel_traces_sampler_arg", NUMBER, "`1`", "share of new traces recorded, 0 to 1; a request whose"
                        + " `traceparent` is sampled is always recorded"));
    }

    private static List<OptionKey> clientCertificatesAndStorage() {
        return List.of(
                top("downstream_mtls", SECTION, NONE, "client certificates (needs TLS on the listener)"),
                top("downstream_mtls.ca", PEM, NONE,
                        "CA bundle client certificates must chain to (base64 PEM, PEM text or a file path);"
                                + " without it no client certificate is asked for"),
                top("downstream_mtls.ca_file", FILE, NONE, "path of that CA bundle"),
                top("downstream_mtls.crl", PEM, NONE, "certificate revocation list(s) of that CA (base64 PEM, PEM text or a"
                        + " file path)"),
                top("downstream_mtls.crl_file", FILE, NONE, "path of that list"),
                top("downstream_mtls.enforcement", STRING, "policy_with_default_deny", "what a request without a valid"
                        + " client certificate gets: `policy` (the route policy decides), `policy_with_default_deny`"
                        + " (denied, 495), `reject_connection` (the TLS handshake fails)")
                        .withChoices("policy_with_default_deny", "policy", "reject_connection"),
                top("downstream_mtls.match_subject_alt_names", STRUCTURE, NONE, "SAN type (`email`, `dns`, `ip_address`,"
                        + " `uri`, `user_principal_name`) → regular expression one SAN of that type must fully match"),
                top("downstream_mtls.max_verify_depth", INTEGER, "1", "longest accepted chain from the client"
                        + " certificate to a configured CA (1: issued by it directly); `0`: no limit"),
                top("client_ca", PEM, NONE, "older name of `downstream_mtls.ca`"),
                top("client_ca_file", FILE, NONE, "older name of `downstream_mtls.ca_file`"),
                later("databroker_storage_type", STRING, "memory", "where sessions and revocations live")
                        .withChoices("memory", "redis"),
                later("databroker_storage_connection_string", STRING, NONE, "Redis URL"),
                later("databroker_storage_connection_string_file", FILE, NONE, "file holding the Redis URL"),
                top("runtime_flags", SECTION, NONE, "feature switches"),
                top("runtime_flags.pomerium_jwt_endpoint", BOOLEAN, "false", "serve `/.pomerium/jwt`"),
                top("runtime_flags.allow_any_sign_out_redirect_uri", BOOLEAN, "false",
                        "let sign-out redirect anywhere"));
    }

    private static List<OptionKey> routeLists() {
        return List.of(
                top("policy", ROUTES, NONE, "routes (older key); listed before `routes`"),
                top("routes", ROUTES, NONE, "routes"));
    }

    private static List<OptionKey> routeMatchAndAction() {
        return List.of(
                route("from", URL, "required", "`https://host` or `http://host[:port]` (`*.example.com`, `*`), no path; "
                        + "`tcp+https://host:port` for a TCP route (pomerium-cli tcp); `udp+https://` and `ssh://` are refused"),
                route("path", STRING, NONE, "take only this exact path"),
                route("prefix", STRING, NONE, "take only paths starting with this"),
                route("regex", STRING, NONE, "take only paths fully matching this regular expression"),
                route("to", STRUCTURE, NONE, "upstream URL or list of them (`\"http://a:8080,3\"`: weight 3); "
                        + "http, https, h2c, Unix sockets (`unix:///run/app.sock`, `https+unix://…`); a path is prepended to"
                        + " the request path; `tcp://host:port` for a TCP route"),
                route("redirect", SECTION, NONE, "answer with a redirect instead"),
                route("redirect.https_redirect", BOOLEAN, "false", "switch the scheme to https"),
                route("redirect.scheme_redirect", STRING, NONE, "switch the scheme to this"),
                route("redirect.host_redirect", STRING, NONE, "replace the host"),
                route("redirect.port_redirect", INTEGER, NONE, "replace the port"),
                route("redirect.path_redirect", STRING, NONE, "replace the whole path"),
                route("redirect.prefix_rewrite", STRING, NONE, "replace the matched prefix"),
                route("redirect.response_code", INTEGER, "301", "301, 302, 303, 307 or 308"),
                route("redirect.strip_query", BOOLEAN, "false", "drop the query string"),
                route("response", SECTION, NONE, "answer with a fixed response instead"),
                route("response.status", INTEGER, "required", "status code"),
                route("response.body", STRING, "empty", "body, text/plain"),
                route("name", STRING, "host of `from` + path matcher", "route name for logs and metrics"),
                routeLater("description", STRING, NONE, "shown on the user page"),
                routeLater("logo_url", STRING, NONE, "shown on the user page"));
    }

    private static List<OptionKey> routeRewritesAndHeaders() {
        return List.of(
                route("prefix_rewrite", STRING, NONE, "replace the matched prefix (or `/`) with this"),
                route("regex_rewrite_pattern", STRING, NONE, "rewrite the path: pattern"),
                route("regex_rewrite_substitution", STRING, NONE, "rewrite the path: substitution (`\\1` refers to a group, as in Envoy)"),
                route("host_rewrite", STRING, NONE, "send this Host upstream"),
                route("host_rewrite_header", STRING, NONE,
                        "send the value of this request header as Host (the client's Host when it is absent)"),
                route("host_path_regex_rewrite_pattern", STRING, NONE, "send the request path rewritten by this regex as Host"),
                route("host_path_regex_rewrite_substitution", STRING, NONE,
                        "its substitution (`\\1` refers to a group, as in Envoy)"),
                route("preserve_host_header", BOOLEAN, "false", "send the client's Host upstream"),
                route("set_request_headers", MAP, NONE, "headers set on the request upstream; values may use Pomerium's"
                        + " substitutions (`${pomerium.id_token}`, `${pomerium.access_token}`, `${pomerium.jwt}`, …)"),
                route("kubernetes_service_account_token", STRING, NONE,
                        "sent upstream as `Authorization: Bearer`, with `Impersonate-User`/`Impersonate-Group` of the user"),
                route("kubernetes_service_account_token_file", FILE, NONE, "file holding that token (read at load)"),
                route("remove_request_headers", LIST, NONE, "headers removed from the request upstream"),
                route("set_response_headers", MAP, NONE, "headers set on the response"),
                routeLater("rewrite_response_headers", STRUCTURE, NONE, "rewrite response header values"),
                route("pass_identity_headers", BOOLEAN, "global `pass_identity_headers`",
                        "send the JWT assertion and claim headers upstream"),
                route("jwt_issuer_format", STRING, "global `jwt_issuer_format`",
                        "the assertion's `iss`: `hostOnly` or `uri` (`https://host/`)").withChoices(JwtIssuerFormat.WORDS));
    }

    private static List<OptionKey> routeUpstream() {
        return List.of(
                route("timeout", DURATION, "`default_upstream_timeout`; `0` with `allow_websockets` and for TCP routes",
                        "longest upstream exchange; `0`: none"),
                route("idle_timeout", DURATION, "0", "longest upstream silence during a request (a TCP tunnel: silence both ways); `0`: none"),
                route("allow_websockets", BOOLEAN, "false", "let WebSocket upgrades through"),
                routeLater("allow_spdy", BOOLEAN, "false", "let SPDY upgrades through"),
                route("tls_skip_verify", BOOLEAN, "false", "accept any upstream certificate"),
                route("tls_server_name", STRING, NONE, "SNI and name to verify instead of the `to` host (older name)"),
                route("tls_upstream_server_name", STRING, NONE,
                        "SNI and name to verify instead of the `to` host; wins over `tls_server_name`"),
                route("tls_custom_ca", PEM, NONE,
                        "the only roots this upstream is trusted by (base64 PEM); replace the system's and `certificate_authority`"),
                route("tls_custom_ca_file", FILE, NONE, "path of those roots"),
                route("tls_client_cert", PEM, NONE, "client certificate presented upstream (with `tls_client_key`)"),
                route("tls_client_cert_file", FILE, NONE, "path of that certificate"),
                route("tls_client_key", PEM, NONE, "its private key"),
                route("tls_client_key_file", FILE, NONE, "path of that key"),
                route("show_error_details", BOOLEAN, "false",
                        "error pages of this route say why: the policy's explanation, or why the upstream could not be reached"),
                route("load_balancing_policy", STRING, "ROUND_ROBIN", "how `to` endpoints share requests: `ROUND_ROBIN`, "
                        + "`LEAST_REQUEST`, `RANDOM` (`RING_HASH`, `MAGLEV`: served as `RANDOM`, with a warning)"),
                routeLater("health_checks", STRUCTURE, NONE, "active upstream health checks"));
    }

    private static List<OptionKey> routeAccess() {
        return List.of(
                route("allow_public_unauthenticated_access", BOOLEAN, "false", "anyone, signed in or not"),
                route("allow_any_authenticated_user", BOOLEAN, "false", "anyone signed in"),
                route("cors_allow_preflight", BOOLEAN, "false", "let CORS preflight requests through unauthenticated"),
                route("allowed_users", LIST, NONE, "user ids or emails allowed"),
                route("allowed_domains", LIST, NONE, "email domains allowed"),
                route("allowed_groups", LIST, NONE, "groups allowed"),
                route("allowed_idp_claims", STRUCTURE, NONE, "claim name → accepted values"),
                route("sub_policies", STRUCTURE, NONE,
                        "older Pomerium: more `allowed_users`, `allowed_domains`, `allowed_groups`, `allowed_idp_claims`"),
                route("policy", STRUCTURE, NONE, "policy language rules (`allow`/`deny`)"),
                route("tls_downstream_client_ca", PEM, NONE,
                        "a valid client certificate of this CA is required on this route (in place of `downstream_mtls.ca`)"),
                route("tls_downstream_client_ca_file", FILE, NONE, "path of that CA"));
    }

    private static OptionKey top(String key, ValueKind kind, String defaultValue, String meaning) {
        return new OptionKey(key, OptionScope.TOP_LEVEL, kind, defaultValue, OptionStatus.IMPLEMENTED, meaning,
                List.of());
    }

    private static OptionKey later(String key, ValueKind kind, String defaultValue, String meaning) {
        return new OptionKey(key, OptionScope.TOP_LEVEL, kind, defaultValue, OptionStatus.ACCEPTED, meaning,
                List.of());
    }

    private static OptionKey route(String key, ValueKind kind, String defaultValue, String meaning) {
        return new OptionKey(key, OptionScope.ROUTE, kind, defaultValue, OptionStatus.IMPLEMENTED, meaning,
                List.of());
    }

    private static OptionKey routeLater(String key, ValueKind kind, String defaultValue, String meaning) {
        return new OptionKey(key, OptionScope.ROUTE, kind, defaultValue, OptionStatus.ACCEPTED, meaning,
                List.of());
    }
}
