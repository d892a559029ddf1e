package dev.portcullis.authn.session;

import java.util.Locale;

/** The {@code SameSite} cookie attribute ({@code cookie_same_site}); {@link #NONE} forces Secure. */
public enum SameSite {
    LAX("Lax"),
    STRICT("Strict"),
    NONE("None");

    private final String attributeValue;

    SameSite(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    /** The value as written in {@code Set-Cookie}: {@code Lax}, {@code Strict} or {@code None}. */
    public String attributeValue() {
        return attributeValue;
    }

    /** Reads {@code lax}, {@code strict} or {@code none} in any letter case, as the option is written. */
    public static SameSite parse(String value) {
        if (value != null) {
            for (SameSite sameSite : values()) {
                if (sameSite.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                    return sameSite;
                }
            }
        }
        throw new IllegalArgumentException(
                "cookie_same_site: " + value + " (expected: lax, strict or none)");
    }
}
