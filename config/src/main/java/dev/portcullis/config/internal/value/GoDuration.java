package dev.portcullis.config.internal.value;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration} syntax, as Pomerium reads durations: a sequence of decimal numbers,
 * each with a unit ({@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}),
 * e.g. {@code 30s}, {@code 1m30s}, {@code 1h2m3.5s}; {@code 0} alone means zero. A bare number is not
 * a duration: seconds are never guessed.
 */
public final class GoDuration {

    /** What a person should write; messages end with it. */
    public static final String EXPECTED = "expected e.g. 30s, 1m30s, 14h";

    private static final Pattern WHOLE = Pattern.compile("[-+]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    /** The duration {@code text} denotes, or empty when it is not in Go's syntax. */
    public static Optional<Duration> parse(String text) {
        String s = text.strip();
        if (s.equals("0") || s.equals("+0") || s.equals("-0")) {
            return Optional.of(Duration.ZERO);
        }
        if (!WHOLE.matcher(s).matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(s);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Optional.empty();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return Optional.of(s.startsWith("-") ? d.negated() : d);
    }
}
