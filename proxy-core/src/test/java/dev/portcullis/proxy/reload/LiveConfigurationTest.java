package dev.portcullis.proxy.reload;

import static dev.portcullis.proxy.testing.WatchedProxy.within;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.proxy.log.CapturedLog;
import dev.portcullis.proxy.testing.Http1Connection;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.testing.WatchedProxy;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running proxy whose configuration file is rewritten: the new routes are served within two
 * seconds, a configuration that does not validate is refused while the old one goes on serving,
 * requests in flight finish on the configuration they started with, and kept-alive upstream
 * connections survive a reload that leaves their upstream alone.
 */
class LiveConfigurationTest {
    private static final Duration WITHIN = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private TestUpstream one;
    private TestUpstream two;
    private WatchedProxy proxy;

    @BeforeEach
    void start() throws Exception {
        one = new TestUpstream("one");
        two = new TestUpstream("two");
        proxy = WatchedProxy.start(dir, routes("app.test", one));
    }

    @AfterEach
    void stop() {
        proxy.close();
        one.close();
        two.close();
    }

    private static String routes(String host, TestUpstream upstream) {
        return """
                routes:
                  - from: http://%s
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(host, upstream.url());
    }

    private Answer get(String host, String path) throws Exception {
        return new SignInClient(proxy.port()).get("http://" + host + ":" + proxy.port() + path);
    }

    @Test
    void aRewrittenFileIsServedWithinTwoSecondsABadOneIsRefusedAndAFixedOneServedAgain() throws Exception {
        assertThat(get("app.test", "/").body()).contains("\"upstream\":\"one\"");

        proxy.replaceConfig(routes("app.test", two) + """
                  - from: http://new.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(one.url()));
        assertThat(within(WITHIN, () -> get("app.test", "/").body().contains("\"upstream\":\"two\"")))
                .as("the route's new upstream serves within 2 s").isTrue();
        assertThat(get("new.test", "/").status()).isEqualTo(200);

        try (CapturedLog log = new CapturedLog()) {
            proxy.rewriteConfig(routes("app.test", one) + """
                      - from: http://broken.test
                        to: not a url
                    """);
            assertThat(within(Duration.ofSeconds(3), () -> !log.events("config_rejected").isEmpty()))
                    .as("the bad configuration is refused").isTrue();
            JsonNode rejected = log.events("config_rejected").get(0);
            assertThat(rejected.path("problems").toString()).contains("routes[1].to");
            assertThat(log.all()).contains("previous configuration goes on serving");
        }
        assertThat(get("app.test", "/").body()).as("the last good configuration still serves").contains("\"upstream\":\"two\"");
        assertThat(get("new.test", "/").status()).isEqualTo(200);

        proxy.rewriteConfig(routes("app.test", one));
        assertThat(within(WITHIN, () -> get("app.test", "/").body().contains("\"upstream\":\"one\""))).isTrue();
        assertThat(get("new.test", "/").status()).as("a route removed is gone").isEqualTo(404);
    }

    @Test
    void aRequestInFlightFinishesOnTheConfigurationItStartedWith() throws Exception {
        CompletableFuture<Answer> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get("app.test", "/slow/1500");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        assertThat(within(WITHIN, () -> !one.requests().isEmpty())).isTrue();

        proxy.replaceConfig(routes("other.test", two));
        assertThat(within(WITHIN, () -> get("app.test", "/").status() == 404)).as("the route is gone").isTrue();

        Answer answer = slow.get();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("slow\n");
    }

    @Test
    void anOpenClientConnectionAndTheUpstreamConnectionOfAnUnchangedUpstreamSurviveAReload() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            Http1Connection connection = new Http1Connection(socket);
            assertThat(connection.get("app.test")).startsWith("HTTP/1.1 200");
            int upstreamPort = one.lastRequest().remotePort();

            proxy.replaceConfig(routes("app.test", one) + """
                      - from: http://added.test
                        to: %s
                        allow_public_unauthenticated_access: true
                    """.formatted(two.url()));
            assertThat(within(WITHIN, () -> get("added.test", "/").status() == 200)).isTrue();

            assertThat(connection.get("app.test")).as("the same client connection after the reload").startsWith("HTTP/1.1 200");
            assertThat(one.lastRequest().remotePort()).as("the same upstream connection, from the pool").isEqualTo(upstreamPort);
        }
    }

    @Test
    void reloadNowReadsTheFileAgainEvenWhenNoChangeWasSeen() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            proxy.watch().reloadNow("SIGHUP");
            assertThat(within(WITHIN, () -> log.all().contains("configuration reloaded after SIGHUP"))).isTrue();
            assertThat(log.events("config_loaded")).hasSize(1);
        }
    }

    @Test
    void optionsThatNeedARestartAreNamedAndKeepTheirRunningValue() throws Exception {
        int port = proxy.port();
        try (CapturedLog log = new CapturedLog()) {
            proxy.replaceConfig("address: 127.0.0.1:1\ntimeout_idle: 7m\n" + routes("changed.test", two));
            assertThat(within(WITHIN, () -> get("changed.test", "/").status() == 200)).isTrue();
            assertThat(log.all()).contains("address changed, but takes effect only after a restart")
                    .contains("timeout_idle changed, but takes effect only after a restart");
        }
        assertThat(proxy.port()).isEqualTo(port);
    }

    @Test
    void logLevelChangesWithAReload() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level before = root.getLevel();
        try {
            proxy.replaceConfig("log_level: error\n" + routes("app.test", one));
            assertThat(within(WITHIN, () -> root.getLevel() == ch.qos.logback.classic.Level.ERROR)).isTrue();
        } finally {
            root.setLevel(before);
        }
    }
}
