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
                "routes[1].redirect: unknown option \"https_redirec\" (did you mean \"https_redirect\"?)");
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
                "routes[0].host_rewrite_header: accepted but not implemented yet; it has no effect",
                "routes[0].rewrite_response_headers: accepted but not implemented yet; it has no effect");
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
                """, env());

        assertThat(loaded.warnings()).containsExactly("cookie_domain: int.nas.example does not cover routes[2]"
                + " (app.example.org): browsers drop the session cookie there, so signing in to it would loop; set"
                + " cookie_domain to a parent of every route's host, or leave it unset");
    }
}
