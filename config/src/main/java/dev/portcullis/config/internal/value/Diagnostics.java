package dev.portcullis.config.internal.value;

import dev.portcullis.config.ConfigProblem;
import java.util.ArrayList;
import java.util.List;

/** Collects the problems and warnings of one load, so that all of them are reported together. */
public final class Diagnostics {

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    /** Something at {@code at} makes the configuration unusable. */
    public void problem(ConfigPath at, String message) {
        problems.add(new ConfigProblem(at.toString(), message));
    }

    /** Something about the file as a whole ({@code where} names it) makes the configuration unusable. */
    public void problem(String where, String message) {
        problems.add(new ConfigProblem(where, message));
    }

    /** Something the operator should know; the configuration is still used. */
    public void warning(String sentence) {
        warnings.add(sentence);
    }

    /** How many problems so far; compare before and after reading a part to learn if it was valid. */
    public int problemCount() {
        return problems.size();
    }

    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }
}
