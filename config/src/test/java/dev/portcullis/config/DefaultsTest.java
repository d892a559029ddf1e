package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a configuration holding nothing but the two secrets means (COMPAT.md's defaults). */
class DefaultsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsWhenNothingIsSet() throws ConfigException {
        LoadedConfig loaded = load(dir, "", env());
        Options options = loaded.options();

        assertThat(optionWarnings(loaded)).isEmpty();
        assertThat(options.server()).isEqualTo(new Options.ServerOptions(":443", false, java.util.Optional.empty(),
                java.util.List.of(), "TLSv1.2", Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(5),
                java.util.Optional.empty(), Autocert.off(), false));
        assertThat(options.forwarding()).isEqualTo(new Options.ForwardingOptions(0, false, Duration.ofSeconds(30)));
        assertThat(options.authenticateServiceUrl()).isEmpty();
        assertThat(options.authenticateCallbackPath()).isEqualTo("/oauth2/callback");
        assertThat(options.responseHeaders()).isEqualTo(Map.of("X-Frame-Options", "SAMEORIGIN",
                "X-XSS-Protection", "1; mode=block",
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"));
        assertThat(options.logLevel()).isEqualTo("info");
        assertThat(options.logFormat()).isEmpty(); // console on a terminal, else json
        assertThat(options.routes()).isEmpty();
    }

    @Test
    void tlsMinVersionIsStoredAsTheJdkProtocolName() throws ConfigException {
        assertThat(load(dir, "tls_min_version: 1.3\n", env()).options().server().tlsMinVersion()).isEqualTo("TLSv1.3");
        assertThat(load(dir, "tls_min_version: TLSv1.2\n", env()).options().server().tlsMinVersion()).isEqualTo("TLSv1.2");
        assertThat(load(dir, "", env("TLS_MIN_VERSION", "1.3")).options().server().tlsMinVersion()).isEqualTo("TLSv1.3");
    }

    @Test
    void responseHeadersCanBeReplacedOrDisabled() throws ConfigException {
        assertThat(load(dir, "set_response_headers: disable\n", env()).options().responseHeaders()).isEmpty();
        assertThat(load(dir, "set_response_headers: {disable: true}\n", env()).options().responseHeaders()).isEmpty();
        assertThat(load(dir, "", env("SET_RESPONSE_HEADERS", "disable")).options().responseHeaders()).isEmpty();
        assertThat(load(dir, "headers: {X-Frame-Options: DENY}\n", env()).options().responseHeaders())
                .isEqualTo(Map.of("X-Frame-Options", "DENY"));
    }

    @Test
    void anExplicitMapReplacesTheDefaultsSoLeavingHstsOutTurnsItOff() throws ConfigException {
        Map<String, String> withoutHsts = load(dir, """
                set_response_headers:
                  X-Frame-Options: SAMEORIGIN
                  X-XSS-Protection: 1; mode=block
                """, env()).options().responseHeaders();
        Map<String, String> shorterHsts = load(dir, "", env("SET_RESPONSE_HEADERS",
                "Strict-Transport-Security:max-age=300")).options().responseHeaders();

        assertThat(withoutHsts).isEqualTo(Map.of("X-Frame-Options", "SAMEORIGIN", "X-XSS-Protection", "1; mode=block"));
        assertThat(shorterHsts).isEqualTo(Map.of("Strict-Transport-Security", "max-age=300"));
    }

    @Test
    void booleansAcceptTheUsualSpellings() throws ConfigException {
        for (String yes : new String[] {"true", "TRUE", "True", "1", "yes", "on"}) {
            assertThat(load(dir, "", env("INSECURE_SERVER", yes)).options().server().insecureServer()).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "FALSE", "False", "0", "no", "off"}) {
            assertThat(load(dir, "insecure_server: true\n", env("INSECURE_SERVER", no)).options().server().insecureServer())
                    .as(no).isFalse();
        }
        assertThat(load(dir, "insecure_server: yes\nskip_xff_append: 1\n", env()).options().server().insecureServer()).isTrue();
    }

    @Test
    void useProxyProtocolIsReadFromTheFileAndTheEnvironment() throws ConfigException {
        assertThat(load(dir, "use_proxy_protocol: true\n", env()).options().server().useProxyProtocol()).isTrue();
        assertThat(load(dir, "", env("USE_PROXY_PROTOCOL", "true")).options().server().useProxyProtocol()).isTrue();
        assertThat(load(dir, "use_proxy_protocol: true\n", env("USE_PROXY_PROTOCOL", "false")).options().server()
                .useProxyProtocol()).isFalse();
    }

    @Test
    void topLevelKeysIgnoreCaseAsViperDoes() throws ConfigException {
        LoadedConfig loaded = load(dir, "Address: :8443\nRuntime_Flags: {Pomerium_JWT_Endpoint: true}\n", env());
        assertThat(loaded.options().server().address()).isEqualTo(":8443");
        assertThat(loaded.options().identity().jwtEndpoint()).isTrue();
        assertThat(optionWarnings(loaded)).isEmpty();
    }

    @Test
    void anEmptyEnvironmentVariableCountsAsUnset() throws ConfigException {
        assertThat(load(dir, "address: :8443\n", env("ADDRESS", "", "INSECURE_SERVER", " ")).options().server().address())
                .isEqualTo(":8443");
    }
}
