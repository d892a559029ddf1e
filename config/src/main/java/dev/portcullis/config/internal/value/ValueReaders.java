package dev.portcullis.config.internal.value;

/**
 * The readers of one load, all reporting to the same {@link Diagnostics}.
 *
 * @param diagnostics where problems and warnings go
 * @param scalars     text, booleans, numbers, durations, choices, URLs, addresses
 * @param collections lists and maps
 * @param materials   PEM, files and secrets
 * @param filesRead   every file the readers read or tried to read (for the reload watcher)
 */
public record ValueReaders(Diagnostics diagnostics, ScalarReader scalars, CollectionReader collections,
        MaterialReader materials, FilesRead filesRead) {

    /** Readers that report to {@code diagnostics} and record the files they read in {@code filesRead}. */
    public static ValueReaders reportingTo(Diagnostics diagnostics, FilesRead filesRead) {
        ScalarReader scalars = new ScalarReader(diagnostics);
        return new ValueReaders(diagnostics, scalars, new CollectionReader(diagnostics),
                new MaterialReader(diagnostics, scalars, filesRead), filesRead);
    }

    /** Readers that report to {@code diagnostics}; the files they read are recorded nowhere. */
    public static ValueReaders reportingTo(Diagnostics diagnostics) {
        return reportingTo(diagnostics, new FilesRead());
    }
}
