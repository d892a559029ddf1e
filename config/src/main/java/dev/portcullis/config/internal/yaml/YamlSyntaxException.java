package dev.portcullis.config.internal.yaml;

/** Text that is not valid YAML, with the position SnakeYAML reports (1-based, when known). */
public final class YamlSyntaxException extends Exception {

    private final int line;
    private final int column;
    private final String problem;

    YamlSyntaxException(int line, int column, String problem) {
        super(describe(line, column, problem), null, false, false);
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** What SnakeYAML found wrong, e.g. {@code mapping values are not allowed here}. */
    public String problem() {
        return problem;
    }

    private static String describe(int line, int column, String problem) {
        return line > 0 ? "line " + line + ", column " + column + ": " + problem : problem;
    }
}
