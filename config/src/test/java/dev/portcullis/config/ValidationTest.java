package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a person reads when the configuration is wrong: one line per problem, naming where and what. */
class ValidationTest {

    @TempDir
    Path dir;

    static Stream<Arguments> problemsInTheFile() {
        return Stream.concat(routeProblems(), topLevelProblems());
    }

    static Stream<Arguments> routeProblems() {
        return Stream.of(
                row("bad to URL", "routes:\n  - {from: https://a.example, to: x}\n  - {from: https://b.example, to: x}\n"
                                + "  - {from: https://c.example, to: \"htp:/x\"}\n",
                        "routes[2].to: \"htp:/x\" is not an http(s) URL (expected e.g. http://httpbin:8080; h2c:// for cleartext HTTP/2; unix:///var/run/app.sock or https+unix:// for a Unix socket)"),
                row("bad from URL", "routes:\n  - {from: app.example, to: http://a}\n",
                        "routes[0].from: \"app.example\" is not an http(s) URL (expected e.g. https://app.example.com)"),
                row("path in from", "routes:\n  - {from: https://app.example/api, to: http://a}\n",
                        "routes[0].from: \"https://app.example/api\" has a path; from names only the scheme and host"
                                + " (to match a path, add prefix: /api)"),
                row("missing from", "routes:\n  - {to: http://a}\n",
                        "routes[0].from is required (e.g. from: https://app.example.com)"),
                row("no action", "routes:\n  - from: https://a.example\n",
                        "routes[0]: exactly one of to, redirect or response is required"
                        + " (or set forward_auth_url to use this route through forward-auth only)"),
                row("two actions", "routes:\n  - {from: https://a.example, to: http://a, response: {status: 200}}\n",
                        "routes[0]: exactly one of to, redirect or response is required (found to and response)"),
                row("bad route duration", "routes:\n  - {from: https://a.example, to: http://a, timeout: 1d}\n",
                        "routes[0].timeout: \"1d\" is not a duration (expected e.g. 30s, 1m30s, 14h)"),
                row("list where a map is expected", "routes:\n  - {from: https://a.example, to: http://a, set_request_headers: [a]}\n",
                        "routes[0].set_request_headers: expected a map, found a list"),
                row("map where a URL is expected", "routes:\n  - {from: https://a.example, to: {url: http://a}}\n",
                        "routes[0].to: expected a URL or a list of URLs, found a map"),
                row("route is not a map", "routes:\n  - https://a.example\n",
                        "routes[0]: expected a route (a map with from and to), found \"https://a.example\""),
                row("public and allowed_users", "routes:\n  - from: https://a.example\n    to: http://a\n"
                                + "    allow_public_unauthenticated_access: true\n    allowed_users: [a@example.com]\n",
                        "routes[0]: allow_public_unauthenticated_access cannot be combined with allowed_users"
                                + " (a public route lets everyone in; remove one or the other)"),
                row("misspelt policy criterion", "routes:\n  - from: https://a.example\n    to: http://a\n"
                                + "    policy:\n      - allow:\n          or:\n            - emial: {is: a@example.com}\n",
                        "routes[0].policy[0].allow.or[0]: unknown criterion \"emial\" (did you mean \"email\"?)"),
                row("any user and allowed_domains", "routes:\n  - from: https://a.example\n    to: http://a\n"
                                + "    allow_any_authenticated_user: true\n    allowed_domains: [example.com]\n",
                        "routes[0]: allow_any_authenticated_user cannot be combined with allowed_domains"
                                + " (any signed-in user may pass; remove one or the other)"),
                row("bad regex", "routes:\n  - {from: https://a.example, to: http://a, regex: \"^/(api\"}\n",
                        "routes[0].regex: \"^/(api\" is not a valid regular expression: Unclosed group near index 6"),
                row("two path matchers", "routes:\n  - {from: https://a.example, to: http://a, path: /a, prefix: /b}\n",
                        "routes[0]: set at most one of path, prefix or regex (found path and prefix)"),
                row("prefix without slash", "routes:\n  - {from: https://a.example, to: http://a, prefix: api}\n",
                        "routes[0].prefix: \"api\" does not start with / (expected e.g. /api)"),
                row("bad redirect code", "routes:\n  - {from: https://a.example, redirect: {https_redirect: true, response_code: 200}}\n",
                        "routes[0].redirect.response_code: \"200\" is not a redirect status (expected 301, 302, 303, 307 or 308)"),
                row("bad load balancing policy", "routes:\n  - {from: https://a.example, to: http://a, load_balancing_policy: FASTEST}\n",
                        "routes[0].load_balancing_policy: \"FASTEST\" is not one of ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV"),
                row("bad weight", "routes:\n  - {from: https://a.example, to: [\"http://a,0\"]}\n",
                        "routes[0].to[0]: \"http://a,0\" has weight 0 (expected a whole number from 1 to 999999)"),
                row("regex substitution without pattern", "routes:\n  - {from: https://a.example, to: http://a, regex_rewrite_substitution: /x}\n",
                        "routes[0].regex_rewrite_pattern is required when regex_rewrite_substitution is set"),
                row("substitution refers to a missing group", "routes:\n  - {from: https://a.example, to: http://a,"
                                + " regex_rewrite_pattern: \"^/(a)\", regex_rewrite_substitution: \"/\\\\2\"}\n",
                        "routes[0].regex_rewrite_substitution: \"\\2\" refers to group 2 but regex_rewrite_pattern has 1 group"),
                row("missing response status", "routes:\n  - {from: https://a.example, response: {body: hi}}\n",
                        "routes[0].response.status is required (e.g. status: 200)"));
    }

    static Stream<Arguments> topLevelProblems() {
        return Stream.of(
                row("bad duration", "timeout_read: 30\n",
                        "timeout_read: \"30\" is not a duration (expected e.g. 30s, 1m30s, 14h)"),
                row("bad boolean", "insecure_server: maybe\n",
                        "insecure_server: \"maybe\" is not a boolean (expected true or false)"),
                row("bad secret length", "cookie_secret: " + TestConfig.base64("sixteen bytes!!!") + "\n",
                        "cookie_secret: decodes to 16 bytes, expected 32 (generate one with"
                                + " \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\")"),
                row("secret not base64", "shared_secret: not*base64\n",
                        "shared_secret is not valid base64 (expected 32 random bytes in base64: generate one with"
                                + " \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\")"),
                row("map where text is expected", "address: {port: 443}\n",
                        "address: expected text, found a map"),
                row("bad services", "services: authorize\n",
                        "services: \"authorize\" is not supported: Portcullis runs every service (authenticate, authorize,"
                                + " proxy, databroker) in one process, so split modes do not exist; remove services or set it to all"),
                row("bad accepted option", "cookie_expire: forever\n",
                        "cookie_expire: \"forever\" is not a duration (expected e.g. 30s, 1m30s, 14h)"),
                row("bad listen address", "address: 443\n",
                        "address: \"443\" is not a listen address (expected host:port or :port, e.g. :443)"),
                row("section is not a map", "downstream_mtls: yes\n", "downstream_mtls: expected a map, found \"true\""),
                row("missing certificate file", "certificate_file: /nonexistent/tls.crt\ncertificate_key_file: /nonexistent/tls.key\n",
                        "certificate_file: \"/nonexistent/tls.crt\": no such file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problemsInTheFile")
    void eachProblemNamesItsPathAndTheBadValue(String name, String yaml, String expected) {
        assertThat(problems(dir, yaml, Map.of())).contains(expected);
    }

    private static final byte[] CAFE = "- {from: https://a.example, to: http://a, name: café}".getBytes(StandardCharsets.UTF_8);

    /** POLICY as a new user gets it wrong: the start of the one problem each earns. */
    static Stream<Arguments> misencodedPolicies() {
        return Stream.of(
                row("POLICY cut short inside YAML", env("POLICY", TestConfig.base64("- from: https://a.example\n  to: [http://a")),
                        "POLICY (policy) is not valid YAML after base64 decoding; the base64 may be cut short"),
                row("POLICY cut short inside a character", env("POLICY", Base64.getEncoder().encodeToString(
                                Arrays.copyOf(CAFE, CAFE.length - 2))),
                        "POLICY (policy) is base64 of bytes that are not UTF-8 text; it may be cut short: copy the whole"
                                + " output of \"base64 -w0 policy.yaml\", or \"base64 -i policy.yaml\" on macOS"),
                row("POLICY cut to a wrong length", env("POLICY", TestConfig.base64("- {from: https://a.example, to: http://a}")
                                .substring(0, 9)),
                        "POLICY (policy) is not valid base64; it may be cut short"),
                row("POLICY neither base64 nor YAML", env("POLICY", "- from: https://a.example\n to: [oops"),
                        "POLICY (policy) is neither base64 nor a YAML list of routes (YAML error at"),
                row("POLICY a sentence", env("POLICY", "see policy.yaml"),
                        "POLICY (policy): expected a list of routes (each starting with - from:), found \"see policy.yaml\";"
                                + " as text it is base64 of the YAML list: \"base64 -w0 policy.yaml\", or"
                                + " \"base64 -i policy.yaml\" on macOS"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misencodedPolicies")
    void aMisencodedPolicySaysHowToEncodeIt(String name, Map<String, String> environment, String expected) {
        assertThat(problems(dir, "", environment)).singleElement().asString().startsWith(expected);
    }

    static Stream<Arguments> problemsInTheEnvironment() {
        return Stream.of(
                row("bad boolean", env("INSECURE_SERVER", "maybe"),
                        "INSECURE_SERVER (insecure_server): \"maybe\" is not a boolean (expected true or false)"),
                row("bad duration", env("TIMEOUT_IDLE", "300"),
                        "TIMEOUT_IDLE (timeout_idle): \"300\" is not a duration (expected e.g. 30s, 1m30s, 14h)"),
                row("bad route in POLICY", env("POLICY", TestConfig.base64("- {from: https://a.example, to: \"htp:/x\"}")),
                        "POLICY (policy[0].to): \"htp:/x\" is not an http(s) URL (expected e.g. http://httpbin:8080; h2c:// for cleartext HTTP/2; unix:///var/run/app.sock or https+unix:// for a Unix socket)"),
                row("POLICY not YAML", env("POLICY", TestConfig.base64("- from: a\n to: b\n  - x")),
                        "POLICY (policy) is not valid YAML after base64 decoding; the base64 may be cut short (YAML"
                                + " error at line 2, column 2: expected <block end>, but found '<block mapping start>');"
                                + " make it with \"base64 -w0 policy.yaml\", or \"base64 -i policy.yaml\" on macOS"),
                row("bad secret length", env("SHARED_SECRET", TestConfig.base64("short")),
                        "SHARED_SECRET (shared_secret): decodes to 5 bytes, expected 32 (generate one with"
                                + " \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\")"),
                row("bad map", env("SET_RESPONSE_HEADERS", "X-Frame-Options"),
                        "SET_RESPONSE_HEADERS (set_response_headers): \"X-Frame-Options\" is not a NAME:VALUE pair"
                                + " (expected e.g. X-Frame-Options:DENY,X-Other:value or {X-Frame-Options: DENY})"),
                row("bad choice", env("IDP_PROVIDER", "gogle"),
                        "IDP_PROVIDER (idp_provider): \"gogle\" is not a provider (did you mean google?)"),
                row("bad services", env("SERVICES", "proxy"),
                        "SERVICES (services): \"proxy\" is not supported: Portcullis runs every service (authenticate,"
                                + " authorize, proxy, databroker) in one process, so split modes do not exist;"
                                + " remove services or set it to all"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problemsInTheEnvironment")
    void problemsFromTheEnvironmentNameTheVariable(String name, Map<String, String> environment, String expected) {
        assertThat(problems(dir, "", environment)).contains(expected);
    }

    @Test
    void missingSecretsWithNowhereToKeepGeneratedOnesSayHowToMakeThem() {
        assertThat(problems(dir, "", Map.of())).containsExactly(
                "cookie_secret is required: there is no data directory to keep a generated one in (HOME is not set);"
                        + " generate one with \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\", and set"
                        + " it as COOKIE_SECRET (or COOKIE_SECRET_FILE naming a file that holds it), or set DATA_DIR to a"
                        + " writable directory",
                "shared_secret is required: there is no data directory to keep a generated one in (HOME is not set);"
                        + " generate one with \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\", and set"
                        + " it as SHARED_SECRET (or SHARED_SECRET_FILE naming a file that holds it), or set DATA_DIR to a"
                        + " writable directory");
    }

    @Test
    void aSecretLeftAsAGuidesPlaceholderSaysSo() {
        assertThat(problems(dir, "", Map.of("COOKIE_SECRET", "CHANGE_ME", "SHARED_SECRET", "<your-secret>")))
                .containsExactly(
                        "COOKIE_SECRET (cookie_secret) is \"CHANGE_ME\", a placeholder from a guide: generate one with"
                                + " \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\"",
                        "SHARED_SECRET (shared_secret) is \"<your-secret>\", a placeholder from a guide: generate one with"
                                + " \"head -c32 /dev/urandom | base64\" or \"portcullis gen-secret\"");
    }

    @Test
    void malformedYamlNamesTheLineAndColumn() {
        Path file = TestConfig.write(dir.resolve("config.yaml"), "address: :443\nroutes:\n  - from: a\n   to: b\n");
        assertThatThrownBy(() -> new ConfigLoader(env()).load(Optional.of(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": not valid YAML at line 4, column 4: expected <block end>, but found '<block mapping start>'");
    }

    @Test
    void aFileThatIsNotAMapIsAProblem() {
        assertThat(problems(dir, "- a\n- b\n", env()))
                .containsExactly(dir.resolve("config.yaml") + ": expected a map of options at the top level, found a list");
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        List<String> problems = problems(dir, """
                timeout_read: 30
                insecure_server: maybe
                routes:
                  - {from: https://a.example}
                  - {from: "htp:/x", to: http://b}
                """, Map.of());

        assertThat(problems).containsExactly(
                "insecure_server: \"maybe\" is not a boolean (expected true or false)",
                "timeout_read: \"30\" is not a duration (expected e.g. 30s, 1m30s, 14h)",
                problems.get(2), problems.get(3),
                "routes[0]: exactly one of to, redirect or response is required"
                        + " (or set forward_auth_url to use this route through forward-auth only)",
                "routes[1].from: \"htp:/x\" is not an http(s) URL (expected e.g. https://app.example.com)");
        assertThat(problems.get(2)).startsWith("cookie_secret is required");
        assertThat(problems.get(3)).startsWith("shared_secret is required");
    }

    @Test
    void theExceptionMessageHasOneProblemPerLine() {
        ConfigException e = new ConfigException(List.of(new ConfigProblem("a", "b"), new ConfigProblem("c", "is d")));
        assertThat(e.getMessage()).isEqualTo("a: b\nc is d");
    }

    private static Arguments row(String name, Object input, String expected) {
        return Arguments.of(name, input, expected);
    }
}
