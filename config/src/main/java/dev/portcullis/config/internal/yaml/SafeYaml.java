package dev.portcullis.config.internal.yaml;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Parses YAML text into {@code Map<String, Object>}, {@code List<Object>}, {@code String},
 * {@code Boolean}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double} and {@code null}.
 * Uses {@link SafeConstructor}: no global tags, no arbitrary classes. Duplicate keys, deep nesting and
 * alias bombs are refused.
 */
public final class SafeYaml {

    private SafeYaml() {}

    /**
     * One YAML document; {@code null} for empty text.
     *
     * @throws YamlSyntaxException when the text is not valid YAML, with SnakeYAML's line and column
     */
    public static Object parse(String text) throws YamlSyntaxException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setAllowRecursiveKeys(false);
        DumperOptions dumper = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options,
                new PlainScalarResolver());
        try {
            return yaml.load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            return rethrow(mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1, problem);
        } catch (YAMLException e) {
            return rethrow(0, 0, e.getMessage());
        }
    }

    private static Object rethrow(int line, int column, String problem) throws YamlSyntaxException {
        throw new YamlSyntaxException(line, column, problem == null ? "not valid YAML" : problem.strip());
    }
}
