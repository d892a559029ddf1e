package dev.portcullis.proxy.log;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The proxy's Logback configuration, set up in code when Logback starts (a {@link Configurator} found through
 * {@code META-INF/services}), so that no XML parser and none of Joran is loaded: one JSON object per line
 * ({@link JsonLineEncoder}) on standard output ({@link BufferedStandardOutputAppender}, named {@value #CONSOLE_APPENDER}),
 * written by a background thread in batches ({@link BatchingAppender}, named {@value #BATCHING_APPENDER}, queue
 * {@value #QUEUE_SIZE}, linger {@value #LINGER_MILLIS} ms), the root at {@code info}, and {@code io.netty},
 * {@code io.lettuce} and {@code reactor} at {@code warn}. docs/logback.xml is the same configuration as a file.
 *
 * <p>It steps aside, and Logback reads its files as it always did, when the JVM names a file of one's own
 * ({@code -Dlogback.configurationFile}) or a {@code logback-test.xml} is on the class path (the tests have one).
 * Logback runs the configurators found as services before its own ones (Joran's file search, then the basic
 * console configuration), and stops at the first that answers {@code DO_NOT_INVOKE_NEXT_IF_ANY}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class BundledLogConfiguration extends ContextAwareBase implements Configurator {
    /** The batching appender; {@link LogOutput} finds it by this name. */
    static final String BATCHING_APPENDER = "OUT";
    /** The standard output appender the batching one hands lines to; {@link LogOutput} swaps its encoder. */
    static final String CONSOLE_APPENDER = "JSON";
    static final int QUEUE_SIZE = 8192;
    static final long LINGER_MILLIS = 10;
    /**
     * Loggers kept at {@code warn} whatever {@code log_level} says: Netty's, and the Redis client of replicas
     * ({@code databroker_storage_type: redis}) with the reactive library it brings, whose own debug lines would drown
     * the proxy's (what matters is told by {@code portcullis.audit}'s {@code session_store_*} events).
     */
    static final List<String> QUIET_LOGGERS = List.of("io.netty", "io.lettuce", "reactor");

    private static final String TEST_CONFIGURATION = "logback-test.xml";

    private final UnaryOperator<String> systemProperties;
    private final ClassLoader classes;

    /** For Logback's service loader: this JVM's system properties and class path. */
    public BundledLogConfiguration() {
        this(System::getProperty, BundledLogConfiguration.class.getClassLoader());
    }

    BundledLogConfiguration(UnaryOperator<String> systemProperties, ClassLoader classes) {
        this.systemProperties = requireNonNull(systemProperties, "systemProperties");
        this.classes = requireNonNull(classes, "classes");
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (configuredElsewhere(systemProperties.apply(ClassicConstants.CONFIG_FILE_PROPERTY), classes)) {
            addInfo("a Logback configuration file is given: the bundled configuration steps aside");
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether Logback should read a file: one named by {@code logback.configurationFile}, or a test one. */
    private static boolean configuredElsewhere(String configurationFile, ClassLoader classes) {
        return (configurationFile != null && !configurationFile.isBlank())
                || classes.getResource(TEST_CONFIGURATION) != null;
    }

    /** Sets up {@code context} as the bundled configuration says. */
    static void apply(LoggerContext context) {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();

        BufferedStandardOutputAppender<ILoggingEvent> console = new BufferedStandardOutputAppender<>();
        console.setName(CONSOLE_APPENDER);
        console.setContext(context);
        console.setEncoder(encoder);
        console.start();

        BatchingAppender batching = new BatchingAppender();
        batching.setName(BATCHING_APPENDER);
        batching.setContext(context);
        batching.setQueueSize(QUEUE_SIZE);
        batching.setLingerMillis(LINGER_MILLIS);
        batching.addAppender(console);
        batching.start();

        for (String quiet : QUIET_LOGGERS) {
            context.getLogger(quiet).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(batching);
    }
}
