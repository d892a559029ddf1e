package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What loads but deserves a line in the log. */
class WarningsTest {

    @TempDir
    Path dir;

    @Test
    void unknownKeysSuggestTheNearestKnownOne() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                cookie_secert: x
                completely_unrelated: 1
                allowed_users: [a@example.com]
                downstream_mtls: {enforcment: policy}
                routes:
                  - from: https://a.example
                    to: http://a
                    alowed_users: [a@example.com]
                    redirect_code: 1
                    cookie_name: x
                  - from: https://b.example
                    redirect: {https_redirec: true}
                """, env());

        assertThat(loaded.warnings()).containsExactly(
                "unknown option \"cookie_secert\" (did you mean \"cookie_secret\"?)",
                "unknown option \"completely_unrelated\"",
                "unknown option \"allowed_users\" (it is a route option: write it inside an entry of routes:)",
                "downstream_mtls: unknown option \"enforcment\" (did you mean \"enforcement\"?)",
                "routes[0]: unknown option \"alowed_users\" (did you mean \"allowed_users\"?)",
                "routes[0]: unknown option \"redirect_code\"",
                "routes[0]: unknown option \"cookie_name\" (it is a top-level option, not a route option)",
                "routes[1].redirect: unknown option \"https_redirec\" (did you mean \"https_redirect\"?)",
                "routes[0] (a.example): " + LETS_NO_ONE_IN, "routes[1] (b.example): " + LETS_NO_ONE_IN);
    }

    private static final String LETS_NO_ONE_IN = "lets no one in, every request is denied: it has no allow rule"
            + " (allowed_users, allowed_domains, allowed_groups, allow_any_authenticated_user,"
            + " allow_public_unauthenticated_access or policy: allow); check the spelling of its keys";

    @Test
    void noRoutesAtAllIsWarnedAbout() throws ConfigException {
        assertThat(load(dir, "insecure_server: true\n", env()).warnings()).containsExactly(
                "routes: none configured (no routes: or policy: in the file, no POLICY or ROUTES in the environment),"
                        + " so every request is answered 404");
    }

    @Test
    void aRouteWithAnEmptyAllowListLetsNoOneIn() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://a.example
                    to: http://a
                    allowed_users: []
                  - from: https://b.example
                    to: http://b
                    allow_public_unauthenticated_access: true
                """, env());

        assertThat(loaded.warnings()).containsExactly("routes[0] (a.example): " + LETS_NO_ONE_IN);
    }

    @Test
    void placeholdersFromTheGuidesAreWarnedAboutWithTheirPath() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                idp_client_secret: CHANGE_ME
                routes:
                  - from: https://httpbin.int.nas.example
                    to: http://httpbin
                    policy:
                      - allow:
                          or:
                            - email:
                                is: your.email.address@gmail.com
                """, env("IDP_PROVIDER", "oidc", "IDP_PROVIDER_URL", "https://id.example",
                        "AUTHENTICATE_SERVICE_URL", "https://authenticate.example", "IDP_CLIENT_ID", "<client-id>"));

        assertThat(loaded.warnings()).contains(
                "IDP_CLIENT_ID (idp_client_id): \"<client-id>\" is a placeholder from a guide: replace it with your own value",
                "idp_client_secret: \"CHANGE_ME\" is a placeholder from a guide: replace it with your own value",
                "routes[0].policy[0].allow.or[0].email.is: \"your.email.address@gmail.com\" is a placeholder from a"
                        + " guide: replace it with your own value");
    }

    @Test
    void aPathInToWithoutTrailingSlashIsWarnedAbout() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://a.example
                    to: http://a/base
                    allow_public_unauthenticated_access: true
                  - from: https://b.example
                    to: http://b/base/
                    allow_public_unauthenticated_access: true
                """, env());
        assertThat(loaded.warnings()).filteredOn(w -> w.contains("trailing /")).containsExactly(
                "routes[0].to: the path of \"http://a/base\" has no trailing /: as in Pomerium it replaces the matched"
                        + " prefix, so /hello is sent as /basehello; write /base/ to send /base/hello");
    }

    @Test
    void routeOptionsThatChangeTrafficButAreNotImplementedAreWarnedAbout() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: https://a.example
                    to: http://a
                    allow_public_unauthenticated_access: true
                    host_rewrite_header: X-Host
                    rewrite_response_headers: [{header: Location, prefix: http://a, value: https://a.example}]
                    allow_spdy: true
                    load_balancing_policy: least_request
                    health_checks: [{timeout: 10s, interval: 60s}]
                    description: An app
                    logo_url: https://a.example/logo.png
                    pass_identity_headers: false
                """, env());

        assertThat(loaded.warnings()).containsExactly(
                "routes[0].rewrite_response_headers: accepted but not implemented yet; it has no effect",
                "routes[0].allow_spdy: has no effect in Portcullis (SPDY upgrades; SPDY is obsolete and no client offers"
                        + " it any more)",
                "routes[0].health_checks: accepted but not implemented yet; it has no effect");
    }

    @Test
    void duplicateExplicitNamesAreWarnedAbout() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - {from: https://a.example, to: http://a, name: app, allow_public_unauthenticated_access: true}
                  - {from: https://b.example, to: http://b, name: app, allow_public_unauthenticated_access: true}
                """, env());

        assertThat(loaded.warnings()).containsExactly("route name \"app\" is given to more than one route");
    }

    @Test
    void aCookieDomainThatDoesNotCoverARouteThatNeedsSignInIsWarnedAbout() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                cookie_domain: .int.nas.example
                authenticate_service_url: https://authenticate.int.nas.example
                idp_provider: builtin
                builtin_users_file: %s
                routes:
                  - from: https://app.int.nas.example
                    to: http://app
                    allowed_users: [a@example.com]
                  - from: https://*.int.nas.example
                    to: http://any
                    allowed_users: [a@example.com]
                  - from: https://app.example.org
                    to: http://other
                    allowed_users: [a@example.com]
                  - from: https://public.example.org
                    to: http://public
                    allow_public_unauthenticated_access: true
                """.formatted(TestConfig.write(dir.resolve("users.yaml"), "users: []\n")), env());

        assertThat(loaded.warnings()).containsExactly("cookie_domain: int.nas.example does not cover routes[2]"
                + " (app.example.org): browsers drop the session cookie there, so signing in to it would loop; set"
                + " cookie_domain to a parent of every route's host, or leave it unset");
    }
}
