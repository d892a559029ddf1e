package dev.portcullis.config.internal.source;

import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionKey;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.catalogue.OptionStatus;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import java.util.Set;

/**
 * Says what becomes of each key that is known but not acted on, so that no option Pomerium accepts is
 * silently ignored: a key {@link OptionStatus#ACCEPTED accepted} or {@link OptionStatus#NO_EFFECT without
 * effect} earns a warning naming its YAML path ({@code routes[2].allow_spdy}), a
 * {@link OptionStatus#REFUSED refused} key a problem, because ignoring it could let in someone the
 * configuration meant to keep out.
 */
public final class UnimplementedKeys {

    private final Diagnostics diagnostics;

    public UnimplementedKeys(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /**
     * Checks every key of {@code map} (the top level, or one route).
     *
     * @param explainedElsewhere keys whose reader says more precisely why they have no effect
     */
    public void check(OptionScope scope, SettingMap map, Set<String> explainedElsewhere) {
        for (String key : map.keys()) {
            if (explainedElsewhere.contains(key)) {
                continue;
            }
            OptionCatalogue.find(scope, key).ifPresent(option -> map.get(key).ifPresent(s -> check(option, s)));
        }
    }

    private void check(OptionKey option, Setting s) {
        switch (option.status()) {
            case ACCEPTED -> diagnostics.warning(s.at() + ": accepted but not implemented yet; it has no effect");
            case NO_EFFECT -> diagnostics.warning(s.at() + ": has no effect in Portcullis (" + option.meaning() + ")");
            case REFUSED -> diagnostics.problem(s.at(), "is not supported, and ignoring it could let in someone this"
                    + " configuration keeps out (" + option.meaning() + "); remove it");
            case IMPLEMENTED -> {
                // read by its own reader
            }
        }
    }
}
