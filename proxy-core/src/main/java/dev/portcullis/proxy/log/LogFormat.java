package dev.portcullis.proxy.log;

import java.util.Locale;
import java.util.Optional;

/** How log lines are written: {@code log_format} ({@code LOG_FORMAT}). */
public enum LogFormat {
    /** One JSON object per line (the default): what container log collectors expect. */
    JSON,
    /** One readable line per event: time, level, logger, message, then the fields as {@code key=value}. */
    CONSOLE;

    /**
     * The format of this run: {@code log_format} when set ({@code configured}); unset (empty or null),
     * readable lines for a person at a terminal, JSON for a container's log collector.
     */
    public static LogFormat chosen(String configured, boolean terminal) {
        return parse(configured).orElse(terminal ? CONSOLE : JSON);
    }

    /** {@code json} or {@code console}, in any case; empty for anything else. */
    public static Optional<LogFormat> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> Optional.of(JSON);
            case "console" -> Optional.of(CONSOLE);
            default -> Optional.empty();
        };
    }
}
