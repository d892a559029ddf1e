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
import dev.portcullis.config.storage.StorageOptions;
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
                    pomeriumInternals(), pomeriumFeaturesWithoutEffect(),
                    routeMatchAndAction(), routeRewritesAndHeaders(), routeUpstream(), routeAccess(),
                    routePomeriumFeaturesWithoutEffect())
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
                        + " a connection without one is closed"),
                top("require_proxy_protocol", BOOLEAN, "false", "Pomerium 0.13's name of `use_proxy_protocol`"));
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
                top("idp_client_id", STRING, "needed to sign in with `idp_provider` (not `builtin`)", "OAuth client id"),
                top("idp_client_secret", STRING, "needed to sign in with `idp_provider` (not `builtin`)",
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
                top("cookie_secret", SECRET, "generated once, kept in `data_dir`", "32 random bytes, base64: seals"
                        + " cookies and OAuth state"),
                top("cookie_secret_file", FILE, NONE, "file holding `cookie_secret` (Docker secrets)"),
                top("shared_secret", SECRET, "generated once, kept in `data_dir`",
                        "32 random bytes, base64: signs hand-offs and URLs, derives the default signing key"),
                top("shared_secret_file", FILE, NONE, "file holding `shared_secret` (Docker secrets)"),
                top("data_dir", STRING, "`/data` in the image; elsewhere `$XDG_STATE_HOME/portcullis` or"
                        + " `~/.local/state/portcullis`", "where Portcullis keeps the secrets it generates when"
                        + " `cookie_secret` or `shared_secret` is not set (`secrets.yaml`, mode 0600); not a Pomerium"
                        + " option"),
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
                ignored("tracing_jaeger_agent_endpoint", STRING, "older: Jaeger agent `host:port`; its UDP protocol is"
                        + " not supported: one warning says so and names the collector setting to use instead"),
                ignored("tracing_zipkin_endpoint", STRING, "older: Zipkin URL; the Zipkin exporter is not supported"),
                ignored("tracing_datadog_address", STRING, "older: Datadog agent address; the Datadog exporter is not"
                        + " supported"),
                ignored("tracing_debug", BOOLEAN, "older: Pomerium's tracing debug output"),
                ignored("tracing_otlp_endpoint", STRING, "Pomerium 0.29 pre-release name of `otel_exporter_otlp_endpoint`"),
                ignored("tracing_otlp_protocol", STRING, "Pomerium 0.29 pre-release name of `otel_exporter_otlp_protocol`"),
                top("otel_traces_exporter", STRING, "off", "`otlp` turns tracing on, `none` off ([tracing](tracing.md));"
                        + " wins over `tracing_provider`").withChoices("otlp", "none"),
                top("otel_exporter_otlp_endpoint", URL, "`http://localhost:4318`",
                        "OTLP/HTTP base URL, e.g. `http://jaeger:4318`; `/v1/traces` is appended"),
                top("otel_exporter_otlp_protocol", STRING, "`http/protobuf`",
                        "`http/protobuf`; `grpc` is refused (not supported)").withChoices("http/protobuf", "grpc"),
                top("otel_exporter_otlp_headers", MAP, NONE,
                        "headers sent to the OTLP endpoint, e.g. `Authorization=Bearer abc` (values never logged)"),
                top("otel_traces_sampler_arg", NUMBER, "`1`", "share of new traces recorded, 0 to 1; a request whose"
                        + " `traceparent` is sampled is always recorded"),
                top("otel_exporter_otlp_traces_endpoint", URL, NONE, "full OTLP/HTTP traces URL, used as it is; wins"
                        + " over `otel_exporter_otlp_endpoint`"),
                top("otel_exporter_otlp_traces_headers", MAP, NONE, "headers sent with spans; win over"
                        + " `otel_exporter_otlp_headers` of the same name"),
                top("otel_exporter_otlp_traces_protocol", STRING, "`http/protobuf`", "`http/protobuf`; `grpc` is refused")
                        .withChoices("http/protobuf", "grpc"),
                ignored("otel_exporter_otlp_timeout", DURATION, "export timeout; Portcullis uses its own"),
                ignored("otel_exporter_otlp_traces_timeout", DURATION, "export timeout; Portcullis uses its own"),
                ignored("otel_resource_attributes", LIST, "extra resource attributes of spans"),
                ignored("otel_log_level", STRING, "the OpenTelemetry SDK's own log level"),
                ignored("otel_attribute_value_length_limit", INTEGER, "longest span attribute value"),
                ignored("otel_bsp_schedule_delay", DURATION, "batch span processor delay"),
                ignored("otel_bsp_max_export_batch_size", INTEGER, "batch span processor batch size"));
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
                top("client_crl", PEM, NONE, "older name of `downstream_mtls.crl`"),
                top("client_crl_file", FILE, NONE, "older name of `downstream_mtls.crl_file`"),
                top("databroker_storage_type", STRING, "memory", "where sign-in state lives: `memory` (this process;"
                        + " one replica) or `redis` (shared by every replica, see docs/scale-out.md)")
                        .withChoices("memory", "redis"),
                top("databroker_storage_connection_string", STRING, NONE, "Redis URL: `redis://[[user]:password@]host[:port][/db]`,"
                        + " `rediss://` (TLS), `redis+sentinel://…/master[/db]` (`redis+cluster://` is refused); required with"
                        + " `databroker_storage_type: redis`"),
                top("databroker_storage_connection_string_file", FILE, NONE, "file holding the Redis URL (trimmed)"),
                top("databroker_storage_key_prefix", STRING, StorageOptions.DEFAULT_KEY_PREFIX, "Portcullis: put before every"
                        + " Redis key and channel, so that several deployments can share one Redis"),
                top("databroker_storage_ca_file", FILE, NONE, "CA bundle trusted for `rediss://` instead of the system's"),
                top("databroker_storage_cert_file", FILE, NONE, "client certificate presented to Redis over TLS"),
                top("databroker_storage_key_file", FILE, NONE, "private key of that client certificate"),
                top("databroker_storage_tls_skip_verify", BOOLEAN, "false", "accept any Redis server certificate"
                        + " (for tests only)"),
                top("runtime_flags", SECTION, NONE, "feature switches"),
                top("runtime_flags.pomerium_jwt_endpoint", BOOLEAN, "false", "serve `/.pomerium/jwt`"),
                top("runtime_flags.allow_any_sign_out_redirect_uri", BOOLEAN, "false",
                        "let sign-out redirect anywhere"),
                top("routes_portal", BOOLEAN, "true", "the same as `runtime_flags.routes_portal` (Pomerium's spelling)"),
                top("runtime_flags.routes_portal", BOOLEAN, "true",
                        "serve the routes portal: `/.pomerium/routes` and `/.pomerium/api/v1/routes`"),
                ignored("runtime_flags.add_extra_metrics_labels", BOOLEAN, "extra labels on Pomerium's metrics"),
                ignored("runtime_flags.authorize_use_synced_data", BOOLEAN, "Pomerium's authorize service reading synced databroker data"),
                ignored("runtime_flags.config_hot_reload", BOOLEAN, "Pomerium's configuration reload switch; Portcullis always reloads a changed file"),
                ignored("runtime_flags.debug_admin_endpoints", BOOLEAN, "Pomerium's debug admin endpoints"),
                ignored("runtime_flags.envoy_resource_manager", BOOLEAN, "Envoy's resource manager"),
                ignored("runtime_flags.envoy_resource_manager_enabled", BOOLEAN, "Envoy's resource manager"),
                ignored("runtime_flags.grpc_databroker_keepalive", BOOLEAN, "Pomerium's internal gRPC keepalive"),
                ignored("runtime_flags.legacy_identity_manager", BOOLEAN, "Pomerium's older session refresher"),
                ignored("runtime_flags.match_any_incoming_port", BOOLEAN, "host matching ignores the request's port unless `from` names one, as with Pomerium's default"),
                ignored("runtime_flags.mcp", BOOLEAN, "Pomerium's MCP support; not supported"),
                ignored("runtime_flags.mcp_dynamic_client_registration", BOOLEAN, "Pomerium's MCP support; not supported"),
                ignored("runtime_flags.refresh_session_at_id_token_expiration", BOOLEAN, "when Pomerium refreshes a session; sessions are renewed when they near expiry"),
                ignored("runtime_flags.set_envoy_concurrency_to_go_max_procs", BOOLEAN, "Envoy's worker threads"),
                ignored("runtime_flags.ssh_allow_direct_tcpip", BOOLEAN, "Pomerium's native SSH; not supported"),
                ignored("runtime_flags.ssh_routes_portal", BOOLEAN, "Pomerium's native SSH; not supported"),
                ignored("runtime_flags.ssh_upstream_tunnel", BOOLEAN, "Pomerium's native SSH; not supported"));
    }

    /** Pomerium's internal services, Envoy and the split deployment: one Portcullis process needs none of them. */
    private static List<OptionKey> pomeriumInternals() {
        String split = "Pomerium's split deployment; Portcullis runs every service in one process";
        String envoy = "Envoy's setting; Portcullis has no Envoy";
        return List.of(
                ignored("authenticate_internal_service_url", URL, split),
                ignored("authenticate_internal_url", URL, "older name of `authenticate_internal_service_url`; " + split),
                ignored("authorize_service_url", URL, split),
                ignored("authorize_service_urls", LIST, split),
                ignored("authorize_internal_service_url", URL, split),
                ignored("databroker_service_url", URL, split),
                ignored("databroker_service_urls", LIST, split),
                ignored("databroker_internal_service_url", URL, split),
                ignored("databroker_cluster_leader_id", STRING, "Pomerium's databroker cluster; " + split),
                ignored("databroker_cluster_node_id", STRING, "Pomerium's databroker cluster; " + split),
                ignored("databroker_cluster_nodes", STRUCTURE, "Pomerium's databroker cluster; " + split),
                ignored("databroker_raft_bind_address", STRING, "Pomerium's databroker cluster; " + split),
                ignored("cache_service_url", URL, "older name of `databroker_service_url`; " + split),
                ignored("cache_store", STRING, "older storage backend; only `memory` storage is supported"),
                ignored("cache_store_address", STRING, "older storage backend; only `memory` storage is supported"),
                ignored("cache_store_password", STRING, "older storage backend; only `memory` storage is supported"),
                ignored("cache_store_path", STRING, "older storage backend; only `memory` storage is supported"),
                ignored("grpc_client_timeout", DURATION, "Pomerium's internal gRPC; " + split),
                ignored("grpc_client_dns_roundrobin", BOOLEAN, "Pomerium's internal gRPC; " + split),
                ignored("grpc_server_max_connection_age", DURATION, "Pomerium's internal gRPC; " + split),
                ignored("grpc_server_max_connection_age_grace", DURATION, "Pomerium's internal gRPC; " + split),
                ignored("override_certificate_name", STRING, "Pomerium's internal gRPC TLS name; " + split),
                ignored("tls_derive", STRING, "Pomerium's internal certificates derived from `shared_secret`; " + split),
                ignored("derive_tls", STRING, "older name of `tls_derive`; " + split),
                ignored("envoy_admin_address", ADDRESS, envoy),
                ignored("envoy_admin_access_log_path", FILE, envoy),
                ignored("envoy_admin_profile_path", FILE, envoy),
                ignored("envoy_bind_config_source_address", STRING, envoy),
                ignored("envoy_bind_config_freebind", BOOLEAN, envoy),
                ignored("envoy_dynamic_extensions", LIST, envoy),
                ignored("codec_type", STRING, envoy + "; the listener speaks HTTP/1.1 and HTTP/2 (ALPN)"),
                ignored("headers_with_underscores_action", STRING, envoy + "; a client's `X_Pomerium_…` is stripped"
                        + " like `X-Pomerium-…`"),
                ignored("merge_slashes", BOOLEAN, envoy + "; Portcullis checks and normalises each path once, and"
                        + " refuses what could be read two ways"),
                ignored("normalize_path", BOOLEAN, envoy + "; Portcullis always normalises the path before routing"),
                ignored("path_with_escaped_slashes_action", STRING, envoy + "; an encoded `/` is always refused (400)"),
                ignored("timeout_read_header", DURATION, "older Envoy header timeout; `timeout_read` bounds reading"
                        + " the request head"),
                ignored("circuit_breaker_thresholds", STRUCTURE, envoy + " (connection limits per upstream)"),
                ignored("dns_failure_refresh_rate", DURATION, envoy + " (DNS); the JVM resolves upstream names"),
                ignored("dns_query_timeout", DURATION, envoy + " (DNS); the JVM resolves upstream names"),
                ignored("dns_query_tries", INTEGER, envoy + " (DNS); the JVM resolves upstream names"),
                ignored("dns_refresh_rate", DURATION, envoy + " (DNS); the JVM resolves upstream names"),
                ignored("dns_resolvers", LIST, envoy + " (DNS); the JVM uses the system's resolvers"),
                ignored("dns_udp_max_queries", INTEGER, envoy + " (DNS); the JVM resolves upstream names"),
                ignored("dns_use_tcp", BOOLEAN, envoy + " (DNS); the JVM resolves upstream names"),
                ignored("debug_address", ADDRESS, "Pomerium's debug listener (pprof)"),
                ignored("health_check_addr", ADDRESS, "Pomerium's separate health listener; `/ping` and `/healthz`"
                        + " answer on `address`"),
                ignored("health_check_systemd_disabled", BOOLEAN, "Pomerium's systemd notification"),
                ignored("installation_id", STRING, "Pomerium Zero's installation"),
                ignored("pomerium_debug", BOOLEAN, "older Pomerium debug output"),
                ignored("proxy_log_level", STRING, "Envoy's log level; `log_level` sets Portcullis's"),
                ignored("access_log_fields", LIST, "which fields Pomerium's access log has; Portcullis's are fixed"
                        + " ([logging](logging.md))"),
                ignored("authorize_log_fields", LIST, "which fields Pomerium's authorize log has"),
                ignored("blob_storage", STRUCTURE, "Pomerium's blob storage (session recordings)"));
    }

    /** Pomerium features Portcullis does not have, whose absence never lets anyone in. */
    private static List<OptionKey> pomeriumFeaturesWithoutEffect() {
        String enterprise = "a Pomerium Enterprise or Zero feature";
        String directory = "Pomerium's directory sync, removed in Pomerium 0.19; `groups` come from the identity"
                + " provider's groups claim";
        return List.of(
                ignored("administrators", LIST, "users who may impersonate others; Portcullis has no impersonation"),
                ignored("enable_user_impersonation", BOOLEAN, "user impersonation; Portcullis has none"),
                ignored("audit_key", STRUCTURE, enterprise),
                ignored("auto_apply_changesets", BOOLEAN, enterprise),
                ignored("session_recording_enabled", BOOLEAN, enterprise),
                ignored("session_recording_concurrency", INTEGER, enterprise),
                ignored("refresh_cooldown", DURATION, "older shortest time between two session refreshes; sessions are"
                        + " renewed when they near expiry"),
                ignored("cookie_refresh", DURATION, "older session refresh interval; sessions are renewed with the"
                        + " identity provider's refresh token when they near expiry"),
                ignored("idp_service_account", STRING, directory),
                ignored("idp_refresh_directory_interval", DURATION, directory),
                ignored("idp_refresh_directory_timeout", DURATION, directory),
                ignored("idp_qps", NUMBER, directory),
                ignored("identity_providers", STRUCTURE, "more identity providers for bearer tokens; only"
                        + " `idp_provider` signs people in"),
                ignored("idp_access_token_allowed_audiences", LIST, "identity provider access tokens as bearer tokens;"
                        + " they are not accepted, so no one gets in by one"),
                ignored("bearer_token_format", STRING, "how bearer tokens are read; only Pomerium's own"
                        + " (`Pomerium-<jwt>`) are accepted"),
                ignored("allow_upgrades", LIST, "upgrades let through on every route; set `allow_websockets` per"
                        + " route"),
                ignored("allow_websockets", BOOLEAN, "Pomerium 0.0's global switch; set `allow_websockets` per route"),
                ignored("signing_key_algorithm", STRING, "the assertion's algorithm; it follows the key: EC P-256 →"
                        + " ES256, RSA → RS256"),
                ignored("google_cloud_serverless_authentication_service_account", STRING, "Google Cloud Run"
                        + " authentication; not supported"),
                ignored("policy_file", FILE, "Pomerium 0.1's separate routes file; move its routes under `routes:`"),
                ignored("metrics_certificate", PEM, "TLS on `metrics_address`; `/metrics` is served over plain HTTP"
                        + " (keep it on an internal network)"),
                ignored("metrics_certificate_key", PEM, "TLS on `metrics_address`; `/metrics` is served over plain"
                        + " HTTP"),
                ignored("metrics_certificate_file", FILE, "TLS on `metrics_address`; `/metrics` is served over plain"
                        + " HTTP"),
                ignored("metrics_certificate_key_file", FILE, "TLS on `metrics_address`; `/metrics` is served over"
                        + " plain HTTP"),
                refused("metrics_client_ca", PEM, "client certificates required on `metrics_address`; protect it"
                        + " with `metrics_basic_auth` or keep it on an internal network"),
                refused("metrics_client_ca_file", FILE, "client certificates required on `metrics_address`; protect"
                        + " it with `metrics_basic_auth` or keep it on an internal network"),
                ignored("ssh_address", ADDRESS, "Pomerium's native SSH listener; not supported"),
                ignored("ssh_host_keys", LIST, "Pomerium's native SSH; not supported"),
                ignored("ssh_host_key_files", LIST, "Pomerium's native SSH; not supported"),
                ignored("ssh_user_ca_key", PEM, "Pomerium's native SSH; not supported"),
                ignored("ssh_user_ca_key_file", FILE, "Pomerium's native SSH; not supported"),
                ignored("ssh_rls_enabled", BOOLEAN, "Pomerium's native SSH; not supported"),
                ignored("ssh_rls_additional_entries", STRUCTURE, "Pomerium's native SSH; not supported"),
                ignored("mcp_allowed_client_id_domains", LIST, "Pomerium's MCP authorization server; not supported"),
                ignored("mcp_allowed_as_metadata_domains", LIST, "Pomerium's MCP authorization server; not"
                        + " supported"));
    }

    /** Route options of Pomerium features Portcullis does not have. */
    private static List<OptionKey> routePomeriumFeaturesWithoutEffect() {
        String envoy = "Envoy's upstream setting; Portcullis has no Envoy";
        return List.of(
                routeIgnored("enable_google_cloud_serverless_authentication", BOOLEAN, "a Google-signed ID token for"
                        + " Cloud Run upstreams; not sent, so such an upstream refuses the request"),
                routeIgnored("depends_on", LIST, "other hosts pomerium-cli signs in to first; not used"),
                routeIgnored("allow_upgrades", LIST, "upgrades let through; set `allow_websockets`"),
                routeIgnored("bearer_token_format", STRING, "how bearer tokens are read; only Pomerium's own"
                        + " (`Pomerium-<jwt>`) are accepted"),
                routeIgnored("idp_access_token_allowed_audiences", LIST, "identity provider access tokens as bearer"
                        + " tokens; they are not accepted, so no one gets in by one"),
                routeIgnored("health_check", STRUCTURE, "older name of `health_checks`; active health checks are not"
                        + " implemented"),
                routeIgnored("healthy_panic_threshold", INTEGER, envoy),
                routeIgnored("outlier_detection", STRUCTURE, envoy),
                routeIgnored("circuit_breaker_thresholds", STRUCTURE, envoy),
                routeIgnored("tls_upstream_allow_renegotiation", BOOLEAN, envoy + "; the JDK never renegotiates"),
                routeIgnored("tls_downstream_server_name", STRING, "another TLS server name Pomerium serves the route's"
                        + " certificate for; the certificate is chosen by the name the client asks for, among the configured"
                        + " ones"),
                routeIgnored("set_authorization_header", STRING, "removed in Pomerium 0.23; use"
                        + " `set_request_headers` with `${pomerium.jwt}`"),
                routeIgnored("session_recording", STRUCTURE, "a Pomerium Enterprise feature"),
                routeIgnored("ssh_policy", STRUCTURE, "the policy of a native SSH route; not supported"),
                routeIgnored("ssh_policy_rego", LIST, "the policy of a native SSH route; not supported"),
                routeIgnored("upstream_tunnel", STRUCTURE, "Pomerium's reverse tunnel to the upstream; not"
                        + " supported, so the route's upstream is `to`"),
                routeIgnored("mcp", STRUCTURE, "Pomerium's MCP server and client routes; not supported, so the route"
                        + " is an ordinary one under its policy"),
                routeRefused("regex_priority_order", INTEGER, "the order regex routes are tried in; ignoring it could"
                        + " send a request to another route with another policy; order the routes in the file"),
                routeIgnored("identity_providers", LIST, "which bearer-token identity providers this route accepts;"
                        + " such tokens are not accepted at all"));
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
                route("description", STRING, NONE, "a line about the route in the routes portal (`/.pomerium/routes`)"),
                route("logo_url", STRING, NONE, "its logo in the routes portal: an `https:`, `http:` or `data:image/` URL"));
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
                routeIgnored("allow_spdy", BOOLEAN, "SPDY upgrades; SPDY is obsolete and no client offers it any more"),
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
                route("tls_downstream_client_ca_file", FILE, NONE, "path of that CA"),

                route("idp_client_id", STRING, "top-level `idp_client_id`",
                        "sign in to this route through another OAuth client of the same provider"),
                route("idp_client_secret", STRING, "top-level `idp_client_secret`", "that client's secret"));
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
    private static OptionKey ignored(String key, ValueKind kind, String meaning) {
        return new OptionKey(key, OptionScope.TOP_LEVEL, kind, NONE, OptionStatus.NO_EFFECT, meaning, List.of());
    }

    private static OptionKey refused(String key, ValueKind kind, String meaning) {
        return new OptionKey(key, OptionScope.TOP_LEVEL, kind, NONE, OptionStatus.REFUSED, meaning, List.of());
    }

    private static OptionKey routeIgnored(String key, ValueKind kind, String meaning) {
        return new OptionKey(key, OptionScope.ROUTE, kind, NONE, OptionStatus.NO_EFFECT, meaning, List.of());
    }

    private static OptionKey routeRefused(String key, ValueKind kind, String meaning) {
        return new OptionKey(key, OptionScope.ROUTE, kind, NONE, OptionStatus.REFUSED, meaning, List.of());
    }
}
