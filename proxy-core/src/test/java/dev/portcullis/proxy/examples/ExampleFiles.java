package dev.portcullis.proxy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files of {@code examples/} and {@code src/test/resources/guides/} as a user copies them, with only
 * addresses, ports and secrets filled in: {@link #fill} replaces a piece of text that must be there,
 * so that an example that changes breaks its test instead of being silently tested in another form.
 */
final class ExampleFiles {
    static final String SHARED_SECRET = "V5v7Q7pN3t1zq3cQm1Z3i1Qy0qj7g5l3Z1xH9m0cY2o=";
    static final Path EXAMPLES = Path.of(System.getProperty("basedir", "."), "..", "examples");
    static final Path GUIDES = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "guides");

    private ExampleFiles() {}

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** {@code text} with every {@code old} replaced by {@code replacement}; {@code old} must occur. */
    static String fill(String text, String old, String replacement) {
        assertThat(text).as("the example still contains " + old).contains(old);
        return text.replace(old, replacement);
    }

    /**
     * The environment the examples' {@code config.yaml} files take their secrets and identity provider client
     * from, with the provider (Google, Entra ID) played by the in-process one, and the listening address on
     * a free loopback port (the environment wins over the file, as in Pomerium).
     */
    static Map<String, String> environment(TestIdentityProvider idp, int port) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("ADDRESS", "127.0.0.1:" + port);
        environment.put("SHARED_SECRET", SHARED_SECRET);
        environment.put("COOKIE_SECRET", RunningProxy.SECRET);
        environment.put("IDP_PROVIDER", "oidc");
        environment.put("IDP_PROVIDER_URL", idp.issuerUrl());
        environment.put("IDP_CLIENT_ID", TestIdentityProvider.CLIENT_ID);
        environment.put("IDP_CLIENT_SECRET", TestIdentityProvider.CLIENT_SECRET);
        return environment;
    }
}
