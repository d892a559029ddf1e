package dev.portcullis.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code log_level} and {@code log_format} applied to a Logback set up by the bundled configuration
 * ({@link BundledLogConfiguration}), as {@code Main} does at start-up.
 */
class LogOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LoggerContext context;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void configureAsInProduction() {
        context = new LoggerContext();
        BundledLogConfiguration.apply(context);
        captured.setContext(context);
        captured.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(captured);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void jsonLinesAreTheDefault() throws Exception {
        assertThat(LogOutput.apply(context, LogFormat.JSON, "info")).isTrue();
        assertThat(consoleEncoder()).isInstanceOf(JsonLineEncoder.class);
        JsonNode line = JSON.readTree(encode(signInEvent()));
        assertThat(line.path("event").asText()).isEqualTo("sign_in");
        assertThat(line.path("user_id").asText()).isEqualTo("alice");
        assertThat(line.path("logger_name").asText()).isEqualTo(AuditLog.LOGGER);
        assertThat(line.path("time").asText()).isNotEmpty();
        assertThat(line.has("thread_name")).as("the bundled configuration leaves the thread out").isFalse();
    }

    @Test
    void theConsoleFormatIsOneReadableLineWithTheFieldsAsKeyValue() throws Exception {
        assertThat(LogOutput.apply(context, LogFormat.CONSOLE, "info")).isTrue();
        assertThat(consoleEncoder()).isInstanceOf(ConsoleEncoder.class);
        String line = encode(signInEvent());
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  portcullis\\.audit  signed in: "
                + "user alice \\(alice@example\\.com\\) with oidc, going to app\\.example\\.com event=sign_in user_id=alice "
                + "email=alice@example\\.com provider=oidc host=app\\.example\\.com\\R");
        assertThat(line).doesNotContain("{").doesNotContain("\"event\"");

        ILoggingEvent denial = logged(() -> AuditLog.accessDenied("r1", "app", "app.example.com", Optional.empty(),
                Optional.empty(), List.of("user-unauthenticated"), "denied: no allow rule matched", 403));
        assertThat(encode(denial)).contains("INFO  portcullis.audit  access denied: anonymous on route app")
                .contains(" anonymous=true ").contains(" reasons=[\"user-unauthenticated\"] ")
                .contains(" explanation=\"denied: no allow rule matched\" ").contains(" status=403");
    }

    @Test
    void aClassLoggerIsShownByItsSimpleNameAndAStackTraceFollowsOnItsOwnLines() {
        Logger logger = context.getLogger("dev.portcullis.proxy.server.ProxyServer");
        LogOutput.apply(context, LogFormat.CONSOLE, "info");
        logger.warn("cannot start", new IllegalStateException("port taken"));
        String line = encode(captured.list.get(captured.list.size() - 1));
        assertThat(line).contains(" WARN  ProxyServer  cannot start")
                .contains(System.lineSeparator() + "java.lang.IllegalStateException: port taken");
    }

    @Test
    void logLevelAppliesToTheRootTheAccessLogAndTheAuditEvents() {
        Logger access = context.getLogger("portcullis.access");
        Logger audit = context.getLogger(AuditLog.LOGGER);
        Logger mine = context.getLogger("dev.portcullis.proxy.exchange.RequestDispatcher");

        LogOutput.apply(context, LogFormat.JSON, "warn");
        access.info("GET / 200");
        audit.info("signed in");
        mine.info("upstream unreachable");
        audit.warn("renewing failed");
        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("renewing failed");

        LogOutput.apply(context, LogFormat.JSON, "error");
        audit.warn("renewing failed again");
        assertThat(captured.list).hasSize(1);

        LogOutput.apply(context, LogFormat.JSON, "debug");
        access.info("GET / 200");
        mine.debug("client connection failed");
        assertThat(captured.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("renewing failed", "GET / 200", "client connection failed");
        assertThat(context.getLogger("io.netty").isDebugEnabled()).as("Netty stays at warn").isFalse();

        LogOutput.apply(context, LogFormat.JSON, "info");
        assertThat(access.isInfoEnabled()).isTrue();
        assertThat(mine.isDebugEnabled()).isFalse();
        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void aConfigurationOfOnesOwnKeepsItsFormatButTakesTheLevel() {
        LoggerContext own = new LoggerContext();
        try {
            assertThat(LogOutput.apply(own, LogFormat.CONSOLE, "warn")).isFalse();
            assertThat(own.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.WARN);
        } finally {
            own.stop();
        }
    }

    @Test
    void configEventsNameTheirSourceAndProblems() throws Exception {
        LogOutput.apply(context, LogFormat.JSON, "info");
        JsonNode loaded = JSON.readTree(encode(logged(() -> AuditLog.configLoaded(3, Optional.of(Path.of("/pomerium/config.yaml"))))));
        assertThat(loaded.path("event").asText()).isEqualTo("config_loaded");
        assertThat(loaded.path("routes").asInt()).isEqualTo(3);
        assertThat(loaded.path("source").asText()).isEqualTo("file");
        assertThat(loaded.path("file").asText()).isEqualTo("/pomerium/config.yaml");
        JsonNode fromEnvironment = JSON.readTree(encode(logged(() -> AuditLog.configLoaded(1, Optional.empty()))));
        assertThat(fromEnvironment.path("source").asText()).isEqualTo("environment");

        JsonNode rejected = JSON.readTree(encode(logged(() -> AuditLog.configRejected(
                List.of("routes[0].to: \"htp:/x\" is not an http(s) URL", "cookie_secret is required"), Optional.empty()))));
        assertThat(rejected.path("event").asText()).isEqualTo("config_rejected");
        assertThat(rejected.path("level").asText()).isEqualTo("ERROR");
        assertThat(rejected.path("source").asText()).isEqualTo("environment");
        assertThat(rejected.path("problems")).hasSize(2);
        assertThat(rejected.path("problems").get(0).asText()).startsWith("routes[0].to:");
    }

    @Test
    void formatNamesAreJsonAndConsoleInAnyCase() {
        assertThat(LogFormat.parse("console")).contains(LogFormat.CONSOLE);
        assertThat(LogFormat.parse(" JSON ")).contains(LogFormat.JSON);
        assertThat(LogFormat.parse("text")).isEmpty();
        assertThat(LogFormat.parse(null)).isEmpty();
    }

    /** The audit event as {@link AuditLog} writes it, captured from the process's own Logback. */
    private static ILoggingEvent signInEvent() {
        return logged(() -> AuditLog.signIn("alice", "alice@example.com", "oidc", "app.example.com"));
    }

    private static ILoggingEvent logged(Runnable write) {
        Logger audit = (Logger) org.slf4j.LoggerFactory.getLogger(AuditLog.LOGGER);
        ListAppender<ILoggingEvent> one = new ListAppender<>();
        one.start();
        audit.addAppender(one);
        Level before = audit.getLevel();
        audit.setLevel(Level.INFO);
        try {
            write.run();
        } finally {
            audit.detachAppender(one);
            audit.setLevel(before);
        }
        assertThat(one.list).hasSize(1);
        return one.list.get(0);
    }

    private Encoder<ILoggingEvent> consoleEncoder() {
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) LogOutput.consoleAppender(context);
        return console.getEncoder();
    }

    private String encode(ILoggingEvent event) {
        return new String(consoleEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
