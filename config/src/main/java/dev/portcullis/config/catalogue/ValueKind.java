package dev.portcullis.config.catalogue;

/** The shape of a key's value, which decides how it is read from YAML and from the environment. */
public enum ValueKind {
    /** Any scalar, taken as text. */
    STRING("text"),
    /** {@code true}/{@code false} ({@code TRUE}, {@code True}, {@code 1}, {@code 0}, {@code yes}, {@code no} too). */
    BOOLEAN("boolean"),
    /** Go-style duration: {@code 30s}, {@code 1m30s}, {@code 14h}, {@code 500ms}; {@code 0} for none. */
    DURATION("duration"),
    /** A whole number, zero or more. */
    INTEGER("integer"),
    /** A decimal number. */
    NUMBER("number"),
    /** An absolute http or https URL. */
    URL("URL"),
    /** {@code host:port} or {@code :port}. */
    ADDRESS("listen address"),
    /** One of a fixed set of words ({@link OptionKey#choices()}). */
    CHOICE("one of"),
    /** A YAML list; in the environment comma-separated or YAML flow text ({@code [a, b]}). */
    LIST("list"),
    /** A YAML map of text; in the environment {@code K:V,K2:V2} or YAML flow text ({@code {K: V}}). */
    MAP("map"),
    /** A list or a map (as {@code jwt_claims_headers}). */
    LIST_OR_MAP("list or map"),
    /** Nested YAML kept as written; in the environment YAML flow text. */
    STRUCTURE("YAML"),
    /** PEM: base64 of PEM, PEM text, or the path of a PEM file. */
    PEM("PEM"),
    /** The path of a readable file. */
    FILE("file path"),
    /** 32 random bytes, base64-encoded. */
    SECRET("32-byte base64 secret"),
    /** The route list; in the environment base64-encoded YAML. */
    ROUTES("route list"),
    /** A map whose keys are listed as {@code section.key}. */
    SECTION("map");

    private final String label;

    ValueKind(String label) {
        this.label = label;
    }

    /** A word or two for the reference documentation. */
    public String label() {
        return label;
    }
}
