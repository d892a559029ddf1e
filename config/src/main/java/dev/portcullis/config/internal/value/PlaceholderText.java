package dev.portcullis.config.internal.value;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a value is one copied from a guide and never replaced: {@code your.email.address@gmail.com}
 * (the Synology guide's route), {@code CHANGE_ME} (the Traefik guide's secrets and client id), or an
 * obviously fake one ({@code REPLACE_ME}, {@code xxxxx}, {@code XXXX.apps.googleusercontent.com},
 * {@code <client-id>}, {@code <your-secret>}).
 */
public final class PlaceholderText {
    private static final Set<String> PLACEHOLDERS = Set.of(
            "your.email.address@gmail.com", "change_me", "changeme", "replace_me", "replaceme");
    private static final Pattern FAKE = Pattern.compile("(?i)x{4,}(\\..*)?|<[^<>]+>");

    private PlaceholderText() {
    }

    /** Whether {@code text} (already trimmed) is a guide's placeholder, or an obviously fake value. */
    public static boolean isPlaceholder(String text) {
        return PLACEHOLDERS.contains(text.toLowerCase(Locale.ROOT)) || FAKE.matcher(text).matches();
    }
}
