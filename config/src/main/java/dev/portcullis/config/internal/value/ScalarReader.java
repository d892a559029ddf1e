package dev.portcullis.config.internal.value;

import static dev.portcullis.config.internal.value.ValueText.describe;
import static dev.portcullis.config.internal.value.ValueText.quote;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads single values: text, booleans, numbers, durations, words from a fixed set and http(s) URLs.
 * Each method returns the value, or reports a problem naming the setting and returns empty.
 */
public final class ScalarReader {

    private static final Pattern LISTEN_ADDRESS = Pattern.compile("(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]*):[0-9]{1,5}");

    private final Diagnostics diagnostics;

    public ScalarReader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Any scalar as text; a map or a list is a problem. */
    public Optional<String> text(Setting s) {
        Optional<String> text = ValueText.scalar(s.value());
        if (text.isEmpty()) {
            diagnostics.problem(s.at(), "expected text, found " + describe(s.value()));
        }
        return text;
    }

    /** A boolean, or text that {@link BooleanText} reads as one. */
    public Optional<Boolean> bool(Setting s) {
        if (s.value() instanceof Boolean b) {
            return Optional.of(b);
        }
        Optional<Boolean> parsed = ValueText.scalar(s.value()).flatMap(BooleanText::parse);
        if (parsed.isEmpty()) {
            diagnostics.problem(s.at(), describe(s.value()) + " is not a boolean (expected true or false)");
        }
        return parsed;
    }

    /** A whole number from {@code min} to {@code max}. */
    public Optional<Integer> integer(Setting s, int min, int max) {
        Optional<BigDecimal> number = ValueText.scalar(s.value()).flatMap(ScalarReader::decimal);
        if (number.isEmpty() || number.get().stripTrailingZeros().scale() > 0) {
            diagnostics.problem(s.at(), describe(s.value()) + " is not a whole number");
            return Optional.empty();
        }
        BigDecimal n = number.get();
        if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
            String range = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
            diagnostics.problem(s.at(), describe(s.value()) + " is out of range (expected " + range + ")");
            return Optional.empty();
        }
        return Optional.of(n.intValueExact());
    }

    /** A decimal number. */
    public Optional<Double> number(Setting s) {
        Optional<BigDecimal> number = ValueText.scalar(s.value()).flatMap(ScalarReader::decimal);
        if (number.isEmpty()) {
            diagnostics.problem(s.at(), describe(s.value()) + " is not a number");
        }
        return number.map(BigDecimal::doubleValue);
    }

    /** A duration in Go's syntax ({@link GoDuration}), zero or more. */
    public Optional<Duration> duration(Setting s) {
        Optional<Duration> d = ValueText.scalar(s.value()).flatMap(GoDuration::parse);
        if (d.isEmpty()) {
            diagnostics.problem(s.at(), describe(s.value()) + " is not a duration (" + GoDuration.EXPECTED + ")");
        } else if (d.get().isNegative()) {
            diagnostics.problem(s.at(), describe(s.value()) + " is negative (expected 0 or more)");
            return Optional.empty();
        }
        return d;
    }

    /** One of {@code choices}, compared without regard to case; returns the spelling in {@code choices}. */
    public Optional<String> choice(Setting s, List<String> choices) {
        Optional<String> text = text(s);
        Optional<String> chosen = text.flatMap(t -> choices.stream().filter(c -> c.equalsIgnoreCase(t.strip())).findFirst());
        if (text.isPresent() && chosen.isEmpty()) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not one of " + String.join(", ", choices));
        }
        return chosen;
    }

    /** An absolute http or https URL with a host. */
    public Optional<URI> httpUrl(Setting s) {
        Optional<String> text = text(s);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<UrlText> url = UrlText.parse(text.get()).filter(u -> u.isHttp() && !u.host().contains("*"));
        try {
            if (url.isPresent()) {
                return Optional.of(new URI(text.get().strip()));
            }
        } catch (URISyntaxException e) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not a valid URL: " + e.getReason());
            return Optional.empty();
        }
        diagnostics.problem(s.at(), quote(text.get()) + " is not an http(s) URL (expected e.g. https://host.example)");
        return Optional.empty();
    }

    /** A listen address: {@code host:port} or {@code :port} (port 0 picks a free one). */
    public Optional<String> address(Setting s) {
        Optional<String> text = text(s).map(String::strip);
        Optional<String> valid = text.filter(t -> LISTEN_ADDRESS.matcher(t).matches()
                && Integer.parseInt(t.substring(t.lastIndexOf(':') + 1)) <= 65535);
        if (text.isPresent() && valid.isEmpty()) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not a listen address (expected host:port or :port, e.g. :443)");
        }
        return valid;
    }

    private static Optional<BigDecimal> decimal(String text) {
        try {
            return Optional.of(new BigDecimal(text.strip().toLowerCase(Locale.ROOT)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
