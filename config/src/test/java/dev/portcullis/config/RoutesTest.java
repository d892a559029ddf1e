package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.route.JwtIssuerFormat;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.config.route.RouteMatch.PathMatch;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.UpstreamEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How route entries become {@link Route} records. */
class RoutesTest {

    @TempDir
    Path dir;

    @Test
    void toTakesWeightsListsAndTheH2cScheme() throws ConfigException {
        Route route = only("""
                from: https://app.example
                to: ["http://a:8080,3", "https://b", "h2c://grpc:50051", "http://[::1]:9000"]
                """);

        assertThat(((RouteAction.Forward) route.action()).endpoints()).containsExactly(
                new UpstreamEndpoint("http", "a", 8080, "", 3),
                new UpstreamEndpoint("https", "b", 443, "", 1),
                new UpstreamEndpoint("h2c", "grpc", 50051, "", 1),
                new UpstreamEndpoint("http", "::1", 9000, "", 1));
        assertThat(only("from: https://a.example\nto: h2c://grpc\n").action())
                .isEqualTo(new RouteAction.Forward(List.of(new UpstreamEndpoint("h2c", "grpc", 80, "", 1))));
    }

    @Test
    void aPathInToIsKeptAsWritten() throws ConfigException {
        assertThat(endpoint("http://x/app").basePath()).isEqualTo("/app");
        assertThat(endpoint("http://x/app/").basePath()).isEqualTo("/app/");
        assertThat(endpoint("http://x/").basePath()).isEqualTo("/");
        assertThat(endpoint("http://x").basePath()).isEmpty();
        assertThat(endpoint("http://my_container:8080").host()).isEqualTo("my_container");
    }

    @Test
    void fromKeepsAPortOnlyWhenWrittenAndAcceptsWildcards() throws ConfigException {
        assertThat(only("from: https://App.Example:8443/\nto: http://a\n").match().port()).isEqualTo(OptionalInt.of(8443));
        assertThat(only("from: https://app.example\nto: http://a\n").match().port()).isEmpty();
        Route wildcard = only("from: https://*.Example.com\nto: http://a\n");
        assertThat(wildcard.match().host()).isEqualTo("*.example.com");
        assertThat(wildcard.match().wildcardHost()).isTrue();
        assertThat(only("from: http://*\nto: http://a\n").match().scheme()).isEqualTo("http");
    }

    @Test
    void timeoutsDefaultToTheGlobalOneButToNoneForWebSockets() throws ConfigException {
        List<Route> routes = load(dir, """
                default_upstream_timeout: 45s
                routes:
                  - {from: https://a.example, to: http://a}
                  - {from: https://b.example, to: http://b, allow_websockets: true}
                  - {from: https://c.example, to: http://c, allow_websockets: true, timeout: 1m30s, idle_timeout: 500ms}
                  - {from: https://d.example, to: http://d, timeout: 1h2m3.5s}
                """, env()).options().routes();

        assertThat(routes).extracting(r -> r.timeouts().timeout()).containsExactly(
                Duration.ofSeconds(45), Duration.ZERO, Duration.ofSeconds(90), Duration.ofMillis(3_723_500));
        assertThat(routes).extracting(Route::allowWebsockets).containsExactly(false, true, true, false);
        assertThat(routes.get(2).timeouts().idleTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(routes.get(0).timeouts().idleTimeout()).isZero();
    }

    @Test
    void namesAreDerivedFromTheMatchAndMadeUnique() throws ConfigException {
        List<Route> routes = load(dir, """
                routes:
                  - {from: https://httpbin.int.nas.example, to: http://a}
                  - {from: https://app.example, prefix: /api, to: http://a}
                  - {from: https://app.example, prefix: /api, to: http://b}
                  - {from: https://app.example, path: /exact, to: http://a}
                  - {from: https://app.example:8443, regex: "^/v[0-9]+/", to: http://a}
                  - {from: https://app.example, to: http://a, name: app.example}
                  - {from: https://app.example, to: http://a}
                """, env()).options().routes();

        assertThat(routes).extracting(Route::name).containsExactly("httpbin.int.nas.example", "app.example/api",
                "app.example/api-2", "app.example/exact", "app.example:8443~^/v[0-9]+/", "app.example", "app.example-2");
    }

    @Test
    void pathMatchers() throws ConfigException {
        assertThat(only("from: https://a.example\nto: http://a\n").match().path()).isEqualTo(new PathMatch.Any());
        assertThat(only("from: https://a.example\nto: http://a\npath: /x\n").match().path()).isEqualTo(new PathMatch.Exact("/x"));
        assertThat(only("from: https://a.example\nto: http://a\nprefix: /x/\n").match().path()).isEqualTo(new PathMatch.Prefix("/x/"));
        PathMatch regex = only("from: https://a.example\nto: http://a\nregex: \"^/(?P<v>v[0-9])/.*\"\n").match().path();
        assertThat(((PathMatch.Regex) regex).pattern().matcher("/v2/x").matches()).isTrue();
    }

    @Test
    void redirectsAndFixedResponses() throws ConfigException {
        Route redirect = only("""
                from: http://a.example
                redirect: {https_redirect: true, host_redirect: b.example, port_redirect: 8443, response_code: 308, strip_query: true}
                """);
        Route defaults = only("from: http://a.example\nredirect: {path_redirect: /new}\n");
        Route response = only("from: https://a.example\nresponse: {status: 503, body: down for maintenance}\n");

        assertThat(redirect.action()).isEqualTo(new RouteAction.Redirect(true, Optional.empty(), Optional.of("b.example"),
                OptionalInt.of(8443), Optional.empty(), Optional.empty(), 308, true));
        assertThat(defaults.action()).isEqualTo(new RouteAction.Redirect(false, Optional.empty(), Optional.empty(),
                OptionalInt.empty(), Optional.of("/new"), Optional.empty(), 301, false));
        assertThat(response.action()).isEqualTo(new RouteAction.FixedResponse(503, "down for maintenance"));
    }

    @Test
    void rewritesConvertEnvoyBackReferences() throws ConfigException {
        Route route = only("""
                from: https://a.example
                to: http://a
                prefix_rewrite: /app/
                regex_rewrite_pattern: "^/service/([^/]+)(/.*)$"
                regex_rewrite_substitution: "\\\\2/instance/\\\\1/$5"
                host_rewrite: upstream.internal
                preserve_host_header: false
                """);

        var rewrite = route.rewrite();
        assertThat(rewrite.prefixRewrite()).contains("/app/");
        assertThat(rewrite.hostRewrite()).contains("upstream.internal");
        String rewritten = rewrite.regexRewritePattern().orElseThrow().matcher("/service/foo/v1/api")
                .replaceAll(rewrite.regexRewriteSubstitution().orElseThrow());
        assertThat(rewritten).isEqualTo("/v1/api/instance/foo/$5");
    }

    @Test
    void headersAndUpstreamTls() throws ConfigException {
        Route route = only("""
                from: https://a.example
                to: https://a
                set_request_headers: {X-Test: "1", X-Other: two}
                remove_request_headers: [X-Secret]
                set_response_headers: {Cache-Control: no-store}
                tls_skip_verify: yes
                tls_server_name: a.internal
                tls_custom_ca_file: %s
                """.formatted(TestConfig.resource("tls/a.crt")));

        assertThat(route.headers().setRequestHeaders()).isEqualTo(Map.of("X-Test", "1", "X-Other", "two"));
        assertThat(route.headers().removeRequestHeaders()).containsExactly("X-Secret");
        assertThat(route.headers().setResponseHeaders()).isEqualTo(Map.of("Cache-Control", "no-store"));
        assertThat(route.upstreamTls().skipVerify()).isTrue();
        assertThat(route.upstreamTls().serverName()).contains("a.internal");
        assertThat(route.upstreamTls().customCaPem()).hasValueSatisfying(pem -> assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void accessRulesAreKeptForThePolicyModule() throws ConfigException {
        Route route = only("""
                from: https://a.example
                to: http://a
                cors_allow_preflight: true
                allowed_users: [alice@example.com]
                allowed_domains: example.com
                allowed_groups: [admins, ops]
                allowed_idp_claims: {department: [it, hr], level: 5}
                policy:
                  allow:
                    or:
                      - date: {after: 2024-01-01T00:00:00Z}
                """);

        var access = route.access();
        assertThat(access.legacy().corsPreflight()).isTrue();
        assertThat(access.legacy().users()).containsExactly("alice@example.com");
        assertThat(access.legacy().domains()).containsExactly("example.com");
        assertThat(access.legacy().groups()).containsExactly("admins", "ops");
        assertThat(access.legacy().claims()).isEqualTo(Map.of("department", List.of("it", "hr"), "level", List.of("5")));
        assertThat(access.policy()).isEqualTo(Map.of("allow", Map.of("or",
                List.of(Map.of("date", Map.of("after", "2024-01-01T00:00:00Z"))))));
    }

    @Test
    void jwtIssuerFormatIsTheRoutesOrElseTheTopLevelOneAsPomeriumReadsIt() throws ConfigException {
        assertThat(only("from: https://a.example\nto: http://a\n").jwtIssuerFormat()).isEqualTo(JwtIssuerFormat.HOST_ONLY);
        assertThat(only("from: https://a.example\nto: http://a\njwt_issuer_format: uri\n").jwtIssuerFormat())
                .isEqualTo(JwtIssuerFormat.URI);
        assertThat(only("from: https://a.example\nto: http://a\njwt_issuer_format: IssuerURI\n").jwtIssuerFormat())
                .isEqualTo(JwtIssuerFormat.URI);
        List<Route> routes = load(dir, """
                jwt_issuer_format: URI
                routes:
                  - from: https://a.example
                    to: http://a
                    allow_public_unauthenticated_access: true
                  - from: https://b.example
                    to: http://b
                    allow_public_unauthenticated_access: true
                    jwt_issuer_format: hostOnly
                """, env()).options().routes();
        assertThat(routes).extracting(Route::jwtIssuerFormat).containsExactly(JwtIssuerFormat.URI, JwtIssuerFormat.HOST_ONLY);
        assertThat(load(dir, "routes: []\n", env("JWT_ISSUER_FORMAT", "uri")).options().routes()).isEmpty();
    }

    @Test
    void aSubstitutionPomeriumDoesNotFillInLoadsWithAWarningThatItBecomesEmpty() throws ConfigException {
        List<String> warnings = load(dir, """
                routes:
                  - from: https://a.example
                    to: http://a
                    allow_public_unauthenticated_access: true
                    set_request_headers:
                      X-Price: costs $5
                      X-Id: ${pomerium.idtoken}
                      X-Fine: 'Bearer ${pomerium.id_token} $$ ${pomerium.request.headers["X-A"]} $pomerium.jwt'
                """, env()).warnings();

        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("routes[0].set_request_headers.X-Price: ${5}")
                        .contains("becomes empty").contains("$$"))
                .anySatisfy(w -> assertThat(w).startsWith("routes[0].set_request_headers.X-Id: ${pomerium.idtoken}"))
                .noneSatisfy(w -> assertThat(w).contains("X-Fine"));
    }

    @Test
    void anUnknownJwtIssuerFormatIsRefusedNamingItsPath() {
        assertThat(TestConfig.problems(dir, """
                routes:
                  - from: https://a.example
                    to: http://a
                    allow_public_unauthenticated_access: true
                    jwt_issuer_format: url
                """, env())).anySatisfy(p -> assertThat(p).contains("routes[0].jwt_issuer_format")
                        .contains("\"url\"").contains("hostOnly").contains("uri"));
        assertThat(TestConfig.problems(dir, "jwt_issuer_format: full\n", env()))
                .anySatisfy(p -> assertThat(p).startsWith("jwt_issuer_format").contains("hostOnly"));
    }

    private UpstreamEndpoint endpoint(String to) throws ConfigException {
        return ((RouteAction.Forward) only("from: https://a.example\nto: " + to + "\n").action()).endpoints().get(0);
    }

    /** The one route of a {@code routes:} list holding {@code yaml} (public, unless it says otherwise). */
    private Route only(String yaml) throws ConfigException {
        String entry = yaml.contains("allowed_") || yaml.contains("policy") ? yaml
                : yaml + "allow_public_unauthenticated_access: true\n";
        String indented = "  - " + entry.strip().replace("\n", "\n    ") + "\n";
        return load(dir, "routes:\n" + indented, env()).options().routes().get(0);
    }
}
