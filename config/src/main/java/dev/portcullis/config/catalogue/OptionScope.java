package dev.portcullis.config.catalogue;

/** Where a key is written. */
public enum OptionScope {
    /** At the top of the configuration file, or as an environment variable. */
    TOP_LEVEL,
    /** Inside one entry of {@code policy:} or {@code routes:}. */
    ROUTE
}
