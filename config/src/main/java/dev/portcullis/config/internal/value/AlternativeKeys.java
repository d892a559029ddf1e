package dev.portcullis.config.internal.value;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Picks the one setting among keys that say the same thing ({@code cookie_secret} and
 * {@code cookie_secret_file}; {@code set_response_headers} and its older name {@code headers}). The
 * environment wins over the file; two settings from the same source are a problem.
 */
public final class AlternativeKeys {

    private final Diagnostics diagnostics;

    public AlternativeKeys(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The setting to use among {@code keys} of {@code map}, or empty when none is set. */
    public Optional<Setting> choose(SettingMap map, String... keys) {
        List<Setting> set = Stream.of(keys).map(map::get).flatMap(Optional::stream).toList();
        List<Setting> fromEnvironment = set.stream().filter(Setting::fromEnvironment).toList();
        List<Setting> candidates = fromEnvironment.isEmpty() ? set : fromEnvironment;
        if (candidates.size() > 1) {
            diagnostics.problem(candidates.get(1).at(), "conflicts with " + candidates.get(0).at()
                    + " (set only one of " + String.join(", ", keys) + ")");
            return Optional.empty();
        }
        return candidates.stream().findFirst();
    }
}
