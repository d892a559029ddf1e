package dev.portcullis.config.internal.value;

/**
 * The readers of one load, all reporting to the same {@link Diagnostics}.
 *
 * @param diagnostics where problems and warnings go
 * @param scalars     text, booleans, numbers, durations, choices, URLs, addresses
 * @param collections lists and maps
 * @param materials   PEM, files and secrets
 */
public record ValueReaders(
        Diagnostics diagnostics, ScalarReader scalars, CollectionReader collections, MaterialReader materials) {

    /** Readers that report to {@code diagnostics}. */
    public static ValueReaders reportingTo(Diagnostics diagnostics) {
        ScalarReader scalars = new ScalarReader(diagnostics);
        return new ValueReaders(diagnostics, scalars, new CollectionReader(diagnostics),
                new MaterialReader(diagnostics, scalars));
    }
}
