package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.LoadBalancingPolicy;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code load_balancing_policy} as Pomerium decodes it: any case, with or without its protobuf prefix
 * ({@code LOAD_BALANCING_POLICY_RANDOM}). {@code RING_HASH} and {@code MAGLEV} hash a request attribute that only
 * Envoy's {@code hash_policy} names, which Pomerium routes cannot set: each request then hashes at random, so they
 * are served as {@code RANDOM}, with a warning saying so.
 */
final class LoadBalancingReader {
    private static final String PREFIX = "LOAD_BALANCING_POLICY_";

    private final ScalarReader scalars;
    private final Diagnostics diagnostics;

    LoadBalancingReader(ValueReaders readers) {
        this.scalars = readers.scalars();
        this.diagnostics = readers.diagnostics();
    }

    /** The route's policy, {@code ROUND_ROBIN} when unset; empty after reporting a problem. */
    Optional<LoadBalancingPolicy> read(SettingMap route) {
        Optional<Setting> setting = route.get("load_balancing_policy");
        if (setting.isEmpty()) {
            return Optional.of(LoadBalancingPolicy.ROUND_ROBIN);
        }
        Optional<String> text = scalars.text(setting.get());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String word = text.get().strip().toUpperCase(Locale.ROOT);
        word = word.startsWith(PREFIX) ? word.substring(PREFIX.length()) : word;
        switch (word) {
            case "", "UNSPECIFIED", "ROUND_ROBIN":
                return Optional.of(LoadBalancingPolicy.ROUND_ROBIN);
            case "LEAST_REQUEST":
                return Optional.of(LoadBalancingPolicy.LEAST_REQUEST);
            case "RANDOM":
                return Optional.of(LoadBalancingPolicy.RANDOM);
            case "RING_HASH", "MAGLEV":
                diagnostics.warning(setting.get().at() + ": " + quote(text.get()) + " is served as RANDOM: it hashes a"
                        + " request attribute that only Envoy's hash_policy names, which a Pomerium route cannot set,"
                        + " so Pomerium too spreads requests at random; there is no session affinity");
                return Optional.of(LoadBalancingPolicy.RANDOM);
            default:
                diagnostics.problem(setting.get().at(), quote(text.get())
                        + " is not one of ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV");
                return Optional.empty();
        }
    }
}
