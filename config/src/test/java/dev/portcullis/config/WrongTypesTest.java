package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionKey;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.options.OptionsReader;
import dev.portcullis.config.internal.source.TopLevelSettings;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.internal.yaml.SafeYaml;
import dev.portcullis.config.internal.yaml.YamlSyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Any YAML type under any known key either loads or is reported as a problem: never another exception. */
class WrongTypesTest {

    static final List<String> VALUES = List.of("{a: b}", "[a, {b: c}]", "-7", "true", "x", "\"\"");

    private final List<String> unexpected = new ArrayList<>();

    @Test
    void everyKeyWithEveryShapeOfValueInTheFile() {
        for (OptionKey key : OptionCatalogue.all()) {
            for (String value : VALUES) {
                String yaml = key.scope() == OptionScope.TOP_LEVEL
                        ? "{" + entry(key, value) + "}\n"
                        : "routes: [{from: https://a.example, to: http://a, " + entry(key, value) + "}]\n";
                loadOrReport(yaml, () -> loadText(yaml));
            }
        }
        assertThat(unexpected).isEmpty();
    }

    @Test
    void everyVariableWithEveryShapeOfValue() {
        for (OptionKey key : OptionCatalogue.all()) {
            for (String value : VALUES) {
                key.environmentVariable().ifPresent(variable ->
                        loadOrReport(variable + "=" + value, () -> new ConfigLoader(env(variable, value)).load(Optional.empty())));
            }
        }
        assertThat(unexpected).isEmpty();
    }

    private void loadOrReport(String input, Load load) {
        try {
            load.run();
        } catch (ConfigException | YamlSyntaxException expected) {
            // a problem, reported as such
        } catch (RuntimeException e) {
            unexpected.add(input + " -> " + e);
        }
    }

    /** What {@link ConfigLoader} does with a file, without the (slow, here) file system. */
    private static void loadText(String yaml) throws YamlSyntaxException {
        Diagnostics diagnostics = new Diagnostics();
        SettingMap top = new TopLevelSettings(diagnostics).merge((Map<?, ?>) SafeYaml.parse(yaml), env());
        new OptionsReader(ValueReaders.reportingTo(diagnostics), env(), dev.portcullis.config.SigningKeyCheck.PEM_ONLY,
                false).read(top);
    }

    /**
     * {@code key: value} in flow style, nested when the key is ({@code a.b} → {@code a: {b: value}},
     * {@code list[].b} → {@code list: [{b: value}]}).
     */
    private static String entry(OptionKey key, String value) {
        if (key.parent().isEmpty()) {
            return key.key() + ": " + value;
        }
        String inner = "{" + key.name() + ": " + value + "}";
        return key.parent().endsWith("[]")
                ? key.parent().replace("[]", "") + ": [" + inner + "]"
                : key.parent() + ": " + inner;
    }

    private interface Load {
        void run() throws ConfigException, YamlSyntaxException;
    }
}
