package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.optionWarnings;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionKey;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.catalogue.OptionStatus;
import dev.portcullis.config.catalogue.ValueKind;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every top-level key that later work implements is accepted today — from the file and from the
 * environment — with its value validated and one warning saying it has no effect yet.
 */
class AcceptedOptionsTest {

    static final Path PEM = TestConfig.resource("tls/a.crt");

    @TempDir
    Path dir;

    @Test
    void everyAcceptedKeyLoadsFromTheFileWithAWarningThatItHasNoEffect() throws ConfigException {
        StringBuilder yaml = new StringBuilder();
        Map<String, List<OptionKey>> bySection = accepted().stream()
                .collect(Collectors.groupingBy(k -> k.parent().isEmpty() ? "" : k.parent()));
        bySection.getOrDefault("", List.of()).forEach(k -> yaml.append(k.key()).append(": ").append(sample(k)).append('\n'));
        bySection.forEach((section, keys) -> {
            if (!section.isEmpty()) {
                yaml.append(section).append(":\n");
                keys.forEach(k -> yaml.append("  ").append(k.name()).append(": ").append(sample(k)).append('\n'));
            }
        });

        List<String> warnings = optionWarnings(load(dir, yaml.toString(), env()));
        assertThat(warnings).hasSize(accepted().size());
        accepted().forEach(k -> assertThat(warnings).contains(k.key() + ": accepted but not implemented yet; it has no effect"));
    }

    @Test
    void everyAcceptedKeyLoadsFromTheEnvironment() throws ConfigException {
        Map<String, String> environment = new HashMap<>(env());
        accepted().forEach(k -> environment.put(k.environmentVariable().orElseThrow(), sample(k)));

        List<String> warnings = optionWarnings(load(dir, "", environment));
        assertThat(warnings).hasSize(accepted().size());
        accepted().forEach(k -> assertThat(warnings).anySatisfy(w -> assertThat(w)
                .startsWith(k.environmentVariable().orElseThrow()).contains(k.key())
                .endsWith(": accepted but not implemented yet; it has no effect")));
    }

    @Test
    void acceptedKeysAreValidatedByTheirKind() {
        assertThat(problems(dir, """
                grpc_insecure: sometimes
                """, env())).containsExactly(
                "grpc_insecure: \"sometimes\" is not a boolean (expected true or false)");
    }

    private static List<OptionKey> accepted() {
        return OptionCatalogue.all().stream()
                .filter(k -> k.scope() == OptionScope.TOP_LEVEL && k.status() == OptionStatus.ACCEPTED)
                .filter(k -> k.kind() != ValueKind.SECTION)
                .toList();
    }

    /** A valid value, written so that it reads the same in YAML and in the environment. */
    private static String sample(OptionKey key) {
        return switch (key.kind()) {
            case STRING -> "x";
            case BOOLEAN -> "true";
            case DURATION -> "1m30s";
            case INTEGER -> "3";
            case NUMBER -> "0.25";
            case URL -> "https://a.example/path";
            case ADDRESS -> ":9090";
            case CHOICE -> key.choices().get(0);
            case LIST -> "[a, b]";
            case MAP -> "{a: b}";
            case LIST_OR_MAP -> "[email, groups]";
            case STRUCTURE -> "[{email: {exact: a@example.com}}]";
            case PEM, FILE -> PEM.toString();
            case SECRET, ROUTES, SECTION -> throw new IllegalArgumentException(key.key());
        };
    }
}
