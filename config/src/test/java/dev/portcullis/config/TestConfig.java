package dev.portcullis.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds environments and config files for loader tests. */
final class TestConfig {

    static final byte[] COOKIE_BYTES = filled(32, 'c');
    static final byte[] SHARED_BYTES = filled(32, 's');
    static final String COOKIE_SECRET = Base64.getEncoder().encodeToString(COOKIE_BYTES);
    static final String SHARED_SECRET = Base64.getEncoder().encodeToString(SHARED_BYTES);

    private TestConfig() {}

    /** The two required secrets plus {@code keyValues} (name, value, name, value …). */
    static Map<String, String> env(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("COOKIE_SECRET", COOKIE_SECRET, "SHARED_SECRET", SHARED_SECRET));
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    /**
     * The warnings of {@code loaded} but the one every configuration without routes gets, for tests of
     * options that need no route.
     */
    static java.util.List<String> optionWarnings(LoadedConfig loaded) {
        return loaded.warnings().stream().filter(w -> !w.startsWith("routes: none configured")).toList();
    }

    /** Writes {@code yaml} to {@code dir/config.yaml} and loads it with {@code env}. */
    static LoadedConfig load(Path dir, String yaml, Map<String, String> env) throws ConfigException {
        return new ConfigLoader(env).load(Optional.of(write(dir.resolve("config.yaml"), yaml)));
    }

    /** The problems, as printed, of loading {@code yaml} with {@code env}; fails if it loads. */
    static List<String> problems(Path dir, String yaml, Map<String, String> env) {
        try {
            LoadedConfig loaded = load(dir, yaml, env);
            throw new AssertionError("expected problems, but it loaded: " + loaded);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base64 as GNU {@code base64} prints it: wrapped at 76 columns. */
    static String base64Wrapped(String text) {
        String encoded = Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
        return String.join("\n", encoded.split("(?<=\\G.{76})")) + "\n";
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }

    /** A file under {@code src/test/resources}. */
    static Path resource(String name) {
        try {
            return Path.of(TestConfig.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] filled(int length, char c) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
