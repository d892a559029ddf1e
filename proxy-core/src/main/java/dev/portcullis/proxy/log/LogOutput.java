package dev.portcullis.proxy.log;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log_level} and {@code log_format} to Logback, once, at start-up, before the first
 * line is written. The level is the root logger's, so {@code portcullis.access},
 * {@code portcullis.audit} and every class follow it ({@code io.netty}, {@code io.lettuce} and {@code reactor} stay
 * at {@code warn}).
 * The format replaces the encoder of the bundled configuration's standard output appender
 * ({@link BundledLogConfiguration}, or docs/logback.xml, found by their appender names); a configuration of one's own
 * ({@code -Dlogback.configurationFile}) without those appenders keeps its own format, but still gets the level.
 */
public final class LogOutput {
    private LogOutput() {}

    /** Applies both to the running Logback, when Logback is the SLF4J binding (it always is, but in odd tests). */
    public static void apply(LogFormat format, String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, format, level);
        }
    }

    /** Sets the root level only ({@code debug}, {@code info}, {@code warn}, {@code error}), as a reload does. */
    public static void level(String level) {
        requireNonNull(level, "level");
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
        }
    }

    /**
     * Sets the root level ({@code debug}, {@code info}, {@code warn}, {@code error}; anything else
     * is {@code info}) and, for {@link LogFormat#CONSOLE}, the readable encoder.
     *
     * @return whether the format could be applied (false with a configuration of one's own)
     */
    static boolean apply(LoggerContext context, LogFormat format, String level) {
        requireNonNull(format, "format");
        requireNonNull(level, "level");
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO));
        if (!(root.getAppender(BundledLogConfiguration.BATCHING_APPENDER) instanceof BatchingAppender batching)
                || !(batching.getAppender(BundledLogConfiguration.CONSOLE_APPENDER) instanceof OutputStreamAppender<ILoggingEvent> console)) {
            return false;
        }
        if (format == LogFormat.CONSOLE) {
            ConsoleEncoder encoder = new ConsoleEncoder();
            encoder.setContext(context);
            encoder.start();
            // Safe without stopping the appender: nothing has been written yet, and the
            // batching appender's queue orders this write before the first event's encoding.
            console.setEncoder(encoder);
        }
        return true;
    }

    /** The appender lines go through, for tests. */
    static Appender<ILoggingEvent> consoleAppender(LoggerContext context) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        return root.getAppender(BundledLogConfiguration.BATCHING_APPENDER) instanceof BatchingAppender batching
                ? batching.getAppender(BundledLogConfiguration.CONSOLE_APPENDER) : null;
    }
}
