package dev.portcullis.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The configuration cannot be used. Carries every problem found, not only the first. */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;
    private final List<Path> watchedFiles;

    /** @param problems at least one problem */
    public ConfigException(List<ConfigProblem> problems) {
        this(problems, List.of());
    }

    /**
     * @param problems     at least one problem
     * @param watchedFiles the files the failed load read or tried to read (see {@link LoadedConfig#watchedFiles()})
     */
    public ConfigException(List<ConfigProblem> problems, List<Path> watchedFiles) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
        this.watchedFiles = List.copyOf(watchedFiles);
    }

    /** Every problem, in the order found: file first, then top-level options, then routes. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * The files the failed load read or tried to read, missing ones included, as {@link LoadedConfig#watchedFiles()}
     * lists them: a reload watcher keeps polling them, so that fixing a file (or making a missing one) is noticed
     * while the previous configuration stays in use.
     */
    public List<Path> watchedFiles() {
        return watchedFiles;
    }
}
