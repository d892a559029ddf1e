package dev.portcullis.config.internal.source;

import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.PlaceholderText;
import dev.portcullis.config.internal.value.Setting;
import java.util.List;
import java.util.Map;

/**
 * Warns about values copied from a guide and never replaced: {@code your.email.address@gmail.com} (the
 * Synology guide's route), {@code CHANGE_ME} (the Traefik guide's secrets and client id), and client ids
 * that are obviously fake ({@code REPLACE_ME}, {@code xxxxx}, {@code <client-id>}). Such a configuration
 * loads, and then lets no one in or fails at the identity provider, far from the cause.
 */
public final class GuidePlaceholders {

    private final Diagnostics diagnostics;

    public GuidePlaceholders(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Warns about every placeholder inside {@code setting}'s value, naming its path. */
    public void warnAbout(Setting setting) {
        walk(setting.at(), setting.value());
    }

    private void walk(ConfigPath at, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> walk(at.key(String.valueOf(key)), child));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(at.index(i), list.get(i));
            }
        } else if (value instanceof String text && PlaceholderText.isPlaceholder(text.trim())) {
            diagnostics.warning(at + ": \"" + text.trim() + "\" is a placeholder from a guide: replace it with your own value");
        }
    }

}
