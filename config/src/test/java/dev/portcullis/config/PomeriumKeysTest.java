package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.TestCertificates.Issued;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options Pomerium accepts that Portcullis does not act on: each loads with a warning naming where it
 * was set, or is refused when ignoring it could let in someone the configuration keeps out; older
 * spellings of implemented options work as the newer ones.
 */
class PomeriumKeysTest {

    @TempDir
    Path dir;

    @Test
    void routeOptionsWithoutEffectAreWarnedAboutPerRouteByTheirPath() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://a.example
                    to: http://a
                    allow_public_unauthenticated_access: true
                  - from: https://b.example
                    to: http://b
                    allow_public_unauthenticated_access: true
                    allow_spdy: true
                    health_checks: [{timeout: 1s, interval: 5s, http_health_check: {path: /}}]
                    enable_google_cloud_serverless_authentication: true
                    depends_on: [c.example]
                """, env());

        assertThat(optionWarnings(loaded))
                .anySatisfy(w -> assertThat(w).startsWith("routes[1].allow_spdy: has no effect"))
                .anySatisfy(w -> assertThat(w).startsWith("routes[1].health_checks: accepted but not implemented yet;"
                        + " it has no effect"))
                .anySatisfy(w -> assertThat(w).startsWith("routes[1].enable_google_cloud_serverless_authentication: has"
                        + " no effect in Portcullis (a Google-signed ID token for Cloud Run upstreams"))
                .anySatisfy(w -> assertThat(w).startsWith("routes[1].depends_on: has no effect in Portcullis"))
                .noneSatisfy(w -> assertThat(w).contains("routes[0]"))
                .noneSatisfy(w -> assertThat(w).contains("unknown option"));
    }

    @Test
    void topLevelPomeriumOptionsWithoutEffectLoadWithAWarningEach() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                envoy_admin_address: 127.0.0.1:9901
                authorize_service_url: https://authorize.internal
                idp_service_account: e30=
                runtime_flags:
                  config_hot_reload: false
                """, env("GRPC_CLIENT_TIMEOUT", "10s"));

        assertThat(optionWarnings(loaded)).containsExactlyInAnyOrder(
                "envoy_admin_address: has no effect in Portcullis (Envoy's setting; Portcullis has no Envoy)",
                "authorize_service_url: has no effect in Portcullis (Pomerium's split deployment; Portcullis runs"
                        + " every service in one process)",
                "idp_service_account: has no effect in Portcullis (Pomerium's directory sync, removed in Pomerium"
                        + " 0.19; `groups` come from the identity provider's groups claim)",
                "runtime_flags.config_hot_reload: has no effect in Portcullis (Pomerium's configuration reload"
                        + " switch; Portcullis always reloads a changed file)",
                "GRPC_CLIENT_TIMEOUT (grpc_client_timeout): has no effect in Portcullis (Pomerium's internal gRPC;"
                        + " Pomerium's split deployment; Portcullis runs every service in one process)");
    }

    @Test
    void optionsThatCouldLetSomeoneInWhenIgnoredAreRefused() {
        assertThat(problems(dir, """
                metrics_address: 127.0.0.1:9090
                metrics_client_ca_file: /etc/ca.pem
                routes:
                  - from: https://a.example
                    to: http://a
                    regex: "/api/.*"
                    regex_priority_order: 10
                    allowed_users: [a@example.com]
                """, env())).containsExactly(
                "metrics_client_ca_file is not supported, and ignoring it could let in someone this configuration keeps"
                        + " out (client certificates required on `metrics_address`; protect it with `metrics_basic_auth`"
                        + " or keep it on an internal network); remove it",
                "routes[0].regex_priority_order is not supported, and ignoring it could let in someone this"
                        + " configuration keeps out (the order regex routes are tried in; ignoring it could send a request"
                        + " to another route with another policy; order the routes in the file); remove it");
    }

    @Test
    void olderSpellingsOfTheProxyProtocolAndTheClientCrlWork() throws ConfigException {
        Issued ca = TestCertificates.ca("Devices CA");
        String crl = TestCertificates.crl(ca);
        LoadedConfig loaded = load(dir, """
                require_proxy_protocol: true
                client_ca: %s
                client_crl: %s
                """.formatted(base64(ca.certificatePem()), base64(crl)), env());

        assertThat(loaded.options().server().useProxyProtocol()).isTrue();
        assertThat(loaded.options().server().downstreamMtls().orElseThrow().crlPem()).contains(crl);
    }

    /** The Traefik forward-auth guide's config.yaml, as written there (secrets filled in). */
    @Test
    void theTraefikGuideLoadsWithOneWarningThatTheJaegerAgentIsNotUsed() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                log_level: debug
                address: :80
                insecure_server: true

                authenticate_service_url: https://auth.example.com
                authenticate_callback_path: /oauth2/callback

                shared_secret: %1$s
                cookie_secret: %1$s

                metrics_address: ":9090"

                tracing_provider: jaeger
                tracing_debug: true
                tracing_jaeger_agent_endpoint: jaeger:6831

                forward_auth_url: http://pomerium:443

                idp_provider: "google"
                idp_client_id: 1234-abcd.apps.googleusercontent.com
                idp_client_secret: GOCSPX-secret

                policy:
                  - from: https://jaeger.example.com
                    allowed_users:
                      - me@example.com
                """.formatted(TestConfig.SHARED_SECRET), java.util.Map.of());

        assertThat(loaded.options().tracing().enabled()).isFalse();
        assertThat(loaded.warnings()).filteredOn(w -> w.contains("jaeger") || w.contains("tracing")).containsExactlyInAnyOrder(
                "tracing_jaeger_agent_endpoint: the Jaeger agent's UDP protocol is not supported, so tracing is off;"
                        + " send spans to the collector instead: tracing_jaeger_collector_endpoint:"
                        + " http://jaeger:14268/api/traces (spans go to that host's OTLP/HTTP port 4318, Jaeger 1.35 or"
                        + " later), or otel_traces_exporter: otlp with otel_exporter_otlp_endpoint: http://jaeger:4318",
                "tracing_debug: has no effect in Portcullis (older: Pomerium's tracing debug output)");
    }
}
