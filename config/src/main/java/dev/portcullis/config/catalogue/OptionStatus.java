package dev.portcullis.config.catalogue;

/** Whether Portcullis acts on a key yet. */
public enum OptionStatus {
    /** Read, validated and acted on. */
    IMPLEMENTED("implemented"),
    /** Known and validated, so existing configurations load, but without effect yet. */
    ACCEPTED("accepted, not yet implemented");

    private final String label;

    OptionStatus(String label) {
        this.label = label;
    }

    /** The words the reference documentation uses. */
    public String label() {
        return label;
    }
}
