package dev.portcullis.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.portcullis.proxy.report.FinishedRequest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled Logback configuration: set up in code unless a file is given, and the same as docs/logback.xml, the
 * file documented as the starting point of a configuration of one's own.
 */
class BundledLogConfigurationTest {
    private static final Path DOCUMENTED = Path.of(System.getProperty("basedir", "."), "..", "docs", "logback.xml");

    /** The test class path without its {@code logback-test.xml}, as the proxy's jar is. */
    private static final ClassLoader WITHOUT_TEST_FILE = new ClassLoader(BundledLogConfigurationTest.class.getClassLoader()) {
        @Override
        public URL getResource(String name) {
            return name.equals("logback-test.xml") ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.equals("logback-test.xml") ? Collections.emptyEnumeration() : super.getResources(name);
        }
    };

    @Test
    void logbackFindsItAsAService() {
        assertThat(java.util.ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(java.util.ServiceLoader.Provider::type)).contains(BundledLogConfiguration.class);
    }

    @Test
    void withoutAFileLogbackIsSetUpInCode() {
        LoggerContext context = new LoggerContext();
        try {
            BundledLogConfiguration bundled = new BundledLogConfiguration(name -> null, WITHOUT_TEST_FILE);
            bundled.setContext(context);
            assertThat(bundled.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
            assertThat(LogOutput.consoleAppender(context)).isInstanceOf(BufferedStandardOutputAppender.class);
        } finally {
            context.stop();
        }
    }

    @Test
    void aFileNamedByTheSystemPropertyOrATestFileMakesItStepAside() {
        LoggerContext context = new LoggerContext();
        try {
            for (BundledLogConfiguration bundled : List.of(
                    new BundledLogConfiguration(name -> name.equals(ClassicConstants.CONFIG_FILE_PROPERTY) ? "/etc/mine.xml" : null,
                            WITHOUT_TEST_FILE),
                    new BundledLogConfiguration(name -> null, BundledLogConfigurationTest.class.getClassLoader()))) {
                bundled.setContext(context);
                assertThat(bundled.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
                assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
            }
        } finally {
            context.stop();
        }
    }

    @Test
    void aConfigurationFileOfOnesOwnWins(@TempDir Path folder) throws Exception {
        Path mine = folder.resolve("mine.xml");
        Files.writeString(mine, """
                <configuration>
                  <appender name="MINE" class="ch.qos.logback.core.read.ListAppender"/>
                  <root level="DEBUG"><appender-ref ref="MINE"/></root>
                </configuration>
                """);
        LoggerContext context = new LoggerContext();
        String before = System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
        System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, mine.toString());
        try {
            // As Logback starts: the service configurators (ours, found through META-INF/services), then Joran.
            new ContextInitializer(context).autoConfig(WITHOUT_TEST_FILE);
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("MINE")).isInstanceOf(ListAppender.class);
            assertThat(root.getAppender(BundledLogConfiguration.BATCHING_APPENDER)).isNull();
            assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(LogOutput.apply(context, LogFormat.CONSOLE, "warn")).as("the format is the file's").isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(ClassicConstants.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(ClassicConstants.CONFIG_FILE_PROPERTY, before);
            }
            context.stop();
        }
    }

    @Test
    void theDocumentedFileIsTheSameConfiguration() throws Exception {
        LoggerContext coded = new LoggerContext();
        LoggerContext documented = new LoggerContext();
        try {
            BundledLogConfiguration.apply(coded);
            JoranConfigurator joran = new JoranConfigurator();
            joran.setContext(documented);
            joran.doConfigure(DOCUMENTED.toFile());

            for (LoggerContext context : List.of(coded, documented)) {
                Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
                assertThat(root.getLevel()).isEqualTo(Level.INFO);
                List<String> appenders = new java.util.ArrayList<>();
                root.iteratorForAppenders().forEachRemaining(a -> appenders.add(a.getName()));
                assertThat(appenders).containsExactly(BundledLogConfiguration.BATCHING_APPENDER);
                BatchingAppender batching = (BatchingAppender) root.getAppender(BundledLogConfiguration.BATCHING_APPENDER);
                assertThat(batching.isStarted()).isTrue();
                assertThat(batching.getQueueSize()).isEqualTo(BundledLogConfiguration.QUEUE_SIZE);
                assertThat(batching.getLingerMillis()).isEqualTo(BundledLogConfiguration.LINGER_MILLIS);
                Appender<ILoggingEvent> console = LogOutput.consoleAppender(context);
                assertThat(console).isInstanceOf(BufferedStandardOutputAppender.class);
                assertThat(console.isStarted()).isTrue();
                assertThat(((OutputStreamAppender<ILoggingEvent>) console).getEncoder()).isInstanceOf(JsonLineEncoder.class);
                for (String quiet : BundledLogConfiguration.QUIET_LOGGERS) {
                    assertThat(context.getLogger(quiet).getLevel()).as(quiet).isEqualTo(Level.WARN);
                }
            }
            List<String> namedLoggers = new java.util.ArrayList<>();
            documented.getLoggerList().stream().filter(l -> l.getLevel() != null).forEach(l -> namedLoggers.add(l.getName()));
            List<String> codedLoggers = new java.util.ArrayList<>();
            coded.getLoggerList().stream().filter(l -> l.getLevel() != null).forEach(l -> codedLoggers.add(l.getName()));
            assertThat(namedLoggers).containsExactlyInAnyOrderElementsOf(codedLoggers);

            for (ILoggingEvent event : events()) {
                assertThat(line(documented, event)).isEqualTo(line(coded, event));
            }
        } finally {
            coded.stop();
            documented.stop();
        }
    }

    private static String line(LoggerContext context, ILoggingEvent event) {
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) LogOutput.consoleAppender(context);
        return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    /** An audit event and an access line, as the process logs them. */
    private static List<ILoggingEvent> events() {
        Logger audit = (Logger) org.slf4j.LoggerFactory.getLogger(AuditLog.LOGGER);
        Logger access = (Logger) org.slf4j.LoggerFactory.getLogger("portcullis.access");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        audit.addAppender(captured);
        access.addAppender(captured);
        Level auditBefore = audit.getLevel();
        Level accessBefore = access.getLevel();
        audit.setLevel(Level.INFO);
        access.setLevel(Level.INFO);
        try {
            AuditLog.accessDenied("r1", "app", "app.example.com", Optional.empty(), Optional.empty(),
                    List.of("user-unauthenticated"), "denied: no allow rule matched", 403);
            new AccessLog().finished(new FinishedRequest("req-2", "POST", "HTTP/2", "nowhere.example.com", "/", 404,
                    Duration.ofMillis(1), Optional.empty(), Optional.empty(), 0, 0, "198.51.100.1", Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        } finally {
            audit.detachAppender(captured);
            access.detachAppender(captured);
            audit.setLevel(auditBefore);
            access.setLevel(accessBefore);
        }
        assertThat(captured.list).hasSize(2);
        return captured.list;
    }
}
