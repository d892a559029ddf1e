package dev.portcullis.config.internal.source;

import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionKey;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import java.util.List;
import java.util.Optional;

/**
 * Warns about keys the catalogue does not know, suggesting the nearest known one:
 * {@code unknown option "cookie_secert" (did you mean "cookie_secret"?)}. Unknown keys are ignored,
 * as Pomerium ignores them, so a configuration written for a newer Pomerium still starts.
 */
public final class UnknownKeys {

    private final Diagnostics diagnostics;

    public UnknownKeys(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Whether {@code key} is known inside {@code parent} ({@code ""}, a section, or {@code list[]}). */
    private static boolean isKnown(OptionScope scope, String parent, String key) {
        return OptionCatalogue.find(scope, parent.isEmpty() ? key : parent + "." + key).isPresent();
    }

    /** Warns when {@code key}, written in the map at {@code at}, is not known inside {@code parent}. */
    public boolean check(OptionScope scope, String parent, ConfigPath at, String key) {
        if (isKnown(scope, parent, key)) {
            return true;
        }
        String where = at.path().isEmpty() ? "" : at + ": ";
        diagnostics.warning(where + "unknown option \"" + key + "\"" + hint(scope, parent, key));
        return false;
    }

    private static String hint(OptionScope scope, String parent, String key) {
        List<String> siblings = OptionCatalogue.childrenOf(scope, parent).stream().map(OptionKey::name).toList();
        Optional<String> near = NearestKey.to(key, siblings);
        if (near.isPresent()) {
            return " (did you mean \"" + near.get() + "\"?)";
        }
        OptionScope other = scope == OptionScope.TOP_LEVEL ? OptionScope.ROUTE : OptionScope.TOP_LEVEL;
        if (parent.isEmpty() && OptionCatalogue.find(other, key).isPresent()) {
            return other == OptionScope.ROUTE
                    ? " (it is a route option: write it inside an entry of routes:)"
                    : " (it is a top-level option, not a route option)";
        }
        return "";
    }
}
