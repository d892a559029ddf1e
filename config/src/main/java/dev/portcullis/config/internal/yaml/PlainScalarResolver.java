package dev.portcullis.config.internal.yaml;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Resolves plain scalars to booleans, nulls and decimal numbers only. Unlike SnakeYAML's default
 * (YAML 1.1) it leaves timestamps, octal ({@code 0123}), hexadecimal and sexagesimal ({@code 1:30})
 * forms as text, so a client id, a date in a policy or a port list reaches us as written.
 */
final class PlainScalarResolver extends Resolver {

    private static final Pattern DECIMAL_INT = Pattern.compile("^[-+]?(?:0|[1-9][0-9]*)$");
    private static final Pattern DECIMAL_FLOAT =
            Pattern.compile("^[-+]?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?$");

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
        addImplicitResolver(Tag.INT, DECIMAL_INT, "-+0123456789");
        addImplicitResolver(Tag.FLOAT, DECIMAL_FLOAT, "-+0123456789.");
        addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
        addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
        addImplicitResolver(Tag.NULL, EMPTY, null, 10);
    }
}
