package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a person reads when a forward-auth option is wrong: each problem alone, with its YAML path. */
class ForwardAuthProblemsTest {

    static final String EXPECTED = "expected the scheme and host alone, with a port when needed, e.g."
            + " https://forwardauth.example.com, or http://portcullis:80 inside a Docker network";
    static final String OWN_HOST = "; forward-auth needs a host of its own (e.g. https://forwardauth.example.com)";
    static final String FORWARD_AUTH = "forward_auth_url: https://forwardauth.example.com\n";

    @TempDir
    Path dir;

    static Stream<Arguments> problemsInTheFile() {
        return Stream.of(
                row("not a URL", "forward_auth_url: forwardauth.example.com\n",
                        "forward_auth_url: \"forwardauth.example.com\" is not an http(s) URL with a host (" + EXPECTED + ")"),
                row("not http", "forward_auth_url: ftp://forwardauth.example.com\n",
                        "forward_auth_url: \"ftp://forwardauth.example.com\" is not an http(s) URL with a host (" + EXPECTED + ")"),
                row("wildcard host", "forward_auth_url: \"https://*.example.com\"\n",
                        "forward_auth_url: \"https://*.example.com\" is not an http(s) URL with a host (" + EXPECTED + ")"),
                row("no host", "forward_auth_url: \"https:///verify\"\n",
                        "forward_auth_url: \"https:///verify\" is not an http(s) URL with a host (" + EXPECTED + ")"),
                row("the verify path", "forward_auth_url: https://forwardauth.example.com/verify\n",
                        "forward_auth_url: \"https://forwardauth.example.com/verify\" has the path \"/verify\" (" + EXPECTED
                                + "; the proxy answers its own paths, such as /verify, on that host)"),
                row("a query", "forward_auth_url: \"https://forwardauth.example.com/?uri=x\"\n",
                        "forward_auth_url: \"https://forwardauth.example.com/?uri=x\" has a query or fragment (" + EXPECTED + ")"),
                row("a fragment", "forward_auth_url: \"https://forwardauth.example.com#top\"\n",
                        "forward_auth_url: \"https://forwardauth.example.com#top\" has a query or fragment (" + EXPECTED + ")"),
                row("a map", "forward_auth_url: {host: forwardauth.example.com}\n",
                        "forward_auth_url: expected text, found a map"),
                row("identity headers not a boolean", "forward_auth_identity_headers: sometimes\n",
                        "forward_auth_identity_headers: \"sometimes\" is not a boolean (expected true or false)"),
                row("the sign-in host", FORWARD_AUTH.replace("forwardauth", "Authenticate")
                                + "authenticate_service_url: https://authenticate.example.com:8443/\n",
                        "forward_auth_url: host \"authenticate.example.com\" is also the host of authenticate_service_url,"
                                + " the sign-in host" + OWN_HOST),
                row("a route's host", "forward_auth_url: http://jaeger.example.com:80\nroutes:\n"
                                + "  - {from: https://a.example.com, to: http://a, allow_any_authenticated_user: true}\n"
                                + "  - {from: https://jaeger.example.com, prefix: /api, allow_any_authenticated_user: true}\n",
                        "forward_auth_url: host \"jaeger.example.com\" is also the host of routes[1]" + OWN_HOST),
                row("two actions with forward-auth", FORWARD_AUTH + "routes:\n"
                                + "  - {from: https://a.example.com, to: http://a, redirect: {https_redirect: true}}\n",
                        "routes[0]: set at most one of to, redirect or response (found to and redirect)"),
                row("no action without forward-auth", "routes:\n  - {from: https://jaeger.example.com, allowed_users: [a@example.com]}\n",
                        "routes[0]: exactly one of to, redirect or response is required (or set forward_auth_url to use this"
                                + " route through forward-auth only)"),
                row("no from with forward-auth", FORWARD_AUTH + "routes:\n  - {allowed_users: [a@example.com]}\n",
                        "routes[0].from is required (e.g. from: https://app.example.com)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problemsInTheFile")
    void eachProblemIsReportedAloneWithItsPath(String name, String yaml, String expected) {
        assertThat(problems(dir, yaml, env())).containsExactly(expected);
    }

    static Stream<Arguments> problemsInTheEnvironment() {
        return Stream.of(
                row("the verify path", env("FORWARD_AUTH_URL", "http://portcullis:80/verify"),
                        "FORWARD_AUTH_URL (forward_auth_url): \"http://portcullis:80/verify\" has the path \"/verify\" ("
                                + EXPECTED + "; the proxy answers its own paths, such as /verify, on that host)"),
                row("identity headers not a boolean", env("FORWARD_AUTH_IDENTITY_HEADERS", "yes please"),
                        "FORWARD_AUTH_IDENTITY_HEADERS (forward_auth_identity_headers): \"yes please\" is not a boolean"
                                + " (expected true or false)"),
                row("a route's host", env("FORWARD_AUTH_URL", "http://portcullis:80",
                                "POLICY", base64("- {from: http://portcullis, allow_any_authenticated_user: true}\n")),
                        "FORWARD_AUTH_URL (forward_auth_url): host \"portcullis\" is also the host of policy[0]" + OWN_HOST),
                row("no action without forward-auth",
                        env("POLICY", base64("- {from: https://jaeger.example.com, allow_any_authenticated_user: true}\n")),
                        "POLICY (policy[0]): exactly one of to, redirect or response is required (or set forward_auth_url to"
                                + " use this route through forward-auth only)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problemsInTheEnvironment")
    void problemsFromTheEnvironmentNameTheVariable(String name, Map<String, String> environment, String expected) {
        assertThat(problems(dir, "", environment)).containsExactly(expected);
    }

    @Test
    void aWrongForwardAuthUrlIsReportedOnceNotAgainAtEveryRouteWithoutAnAction() {
        assertThat(problems(dir, """
                forward_auth_url: forwardauth.example.com
                routes:
                  - {from: https://a.example.com, allow_any_authenticated_user: true}
                  - {from: https://b.example.com, allow_any_authenticated_user: true}
                """, env())).containsExactly(
                "forward_auth_url: \"forwardauth.example.com\" is not an http(s) URL with a host (" + EXPECTED + ")");
    }

    @Test
    void everyClashIsReported() {
        assertThat(problems(dir, """
                forward_auth_url: https://app.example.com
                authenticate_service_url: https://app.example.com
                routes:
                  - {from: https://app.example.com, to: http://a, allow_any_authenticated_user: true}
                  - {from: https://app.example.com, prefix: /api, allow_any_authenticated_user: true}
                """, env())).containsExactly(
                "forward_auth_url: host \"app.example.com\" is also the host of authenticate_service_url, the sign-in host"
                        + OWN_HOST,
                "forward_auth_url: host \"app.example.com\" is also the host of routes[0]" + OWN_HOST,
                "forward_auth_url: host \"app.example.com\" is also the host of routes[1]" + OWN_HOST);
    }

    private static Arguments row(String name, Object input, String expected) {
        return Arguments.of(name, input, expected);
    }
}
