package dev.portcullis.config.catalogue;

/** Whether Portcullis acts on a key yet. */
public enum OptionStatus {
    /** Read, validated and acted on. */
    IMPLEMENTED("implemented"),
    /** Known and validated, so existing configurations load, but without effect yet. */
    ACCEPTED("accepted, not yet implemented"),
    /**
     * A key Pomerium accepts that has no meaning in Portcullis (its internal services, Envoy's tuning, its
     * Enterprise features): it loads with a warning that it has no effect, and ignoring it never lets in
     * anyone the configuration meant to keep out.
     */
    NO_EFFECT("accepted, has no effect"),
    /**
     * A key Pomerium accepts that Portcullis does not implement and must not ignore, because ignoring it
     * could let in someone the configuration meant to keep out: a configuration that sets it is refused,
     * with a sentence naming it.
     */
    REFUSED("refused: not supported");

    private final String label;

    OptionStatus(String label) {
        this.label = label;
    }

    /** Whether a configuration that sets the key loads, with a warning that it has no effect. */
    public boolean warnsOfNoEffect() {
        return this == ACCEPTED || this == NO_EFFECT;
    }

    /** The words the reference documentation uses. */
    public String label() {
        return label;
    }
}
