package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RawConnection;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipelined HTTP/1.1 requests (RFC 9112 §9.3.2), several in one write: each gets its own answer,
 * in the order sent, none lost; after one that closes the connection, those behind it are dropped.
 */
class PipeliningTest {
    private static TestUpstream upstream;
    private static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("up");
        proxy = RunningProxy.start("""
                routes:
                  - from: https://app.example.com
                    to: %s
                    allow_public_unauthenticated_access: true
                  - from: https://private.example.com
                    to: %1$s
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    private static String get(String host, String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
    }

    private static String gets(int count) {
        StringBuilder requests = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            requests.append(get("app.example.com", "/r" + i));
        }
        return requests.toString();
    }

    @Test
    void fourGetsInOneWriteGetFourAnswersInOrderAndTheConnectionStaysOpen() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            List<RawConnection.Response> answers = connection.send(gets(4)).next(4);
            assertThat(answers).extracting(RawConnection.Response::status).containsOnly(200);
            assertThat(answers).extracting(RawConnection.Response::body).zipSatisfy(List.of(1, 2, 3, 4),
                    (body, i) -> assertThat(body).contains("\"path\":\"/r" + i + "\""));
            assertThat(connection.send(get("app.example.com", "/after")).next().body()).contains("/after");
        }
    }

    @Test
    void tenGetsInOneWriteGetTenAnswersInOrder() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            List<RawConnection.Response> answers = connection.send(gets(10)).next(10);
            assertThat(answers).extracting(RawConnection.Response::status).containsOnly(200);
            IntStream.rangeClosed(1, 10).forEach(i ->
                    assertThat(answers.get(i - 1).body()).contains("\"path\":\"/r" + i + "\""));
        }
    }

    @Test
    void connectionCloseIsAnsweredThenTheConnectionClosesAndLaterRequestsAreDropped() throws Exception {
        int before = upstream.requests().size();
        try (RawConnection connection = new RawConnection(proxy.port())) {
            connection.send("GET /first HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n"
                    + get("app.example.com", "/dropped"));
            RawConnection.Response first = connection.next();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).contains("/first");
            assertThat(first.header("connection")).isEqualToIgnoringCase("close");
            assertThat(connection.closesWithin(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(upstream.requests().subList(before, upstream.requests().size()))
                .extracting(TestUpstream.Recorded::rawPath).containsExactly("/first");
    }

    @Test
    void requestsWithBodiesFramedEitherWayAreEachAnsweredInOrder() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            List<RawConnection.Response> answers = connection.send(
                    "POST /upload HTTP/1.1\r\nHost: app.example.com\r\nContent-Length: 5\r\n\r\nhello"
                    + "POST /upload HTTP/1.1\r\nHost: app.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"
                    + get("app.example.com", "/between")
                    + "POST /upload HTTP/1.1\r\nHost: app.example.com\r\nContent-Length: 0\r\n\r\n"
                    + "POST /upload HTTP/1.1\r\nHost: app.example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "2\r\nhi\r\n0\r\n\r\n").next(5);
            assertThat(answers).extracting(RawConnection.Response::status).containsOnly(200);
            assertThat(answers.get(0).body()).isEqualTo("5");
            assertThat(answers.get(1).body()).isEqualTo("7");
            assertThat(answers.get(2).body()).contains("/between");
            assertThat(answers.get(3).body()).isEqualTo("0");
            assertThat(answers.get(4).body()).isEqualTo("2");
        }
    }

    @Test
    void aSlowFirstAnswerKeepsTheOthersWaitingInOrder() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            List<RawConnection.Response> answers = connection.send(get("app.example.com", "/slow/300")
                    + get("app.example.com", "/fast") + get("app.example.com", "/slow/10")).next(3);
            assertThat(answers).extracting(RawConnection.Response::status).containsOnly(200);
            assertThat(answers.get(0).body()).isEqualTo("slow\n");
            assertThat(answers.get(1).body()).contains("/fast");
            assertThat(answers.get(2).body()).isEqualTo("slow\n");
        }
    }

    @Test
    void theProxysOwnAnswersTakeTheirTurnAmongProxiedOnes() throws Exception {
        try (RawConnection connection = new RawConnection(proxy.port())) {
            List<RawConnection.Response> answers = connection.send(get("nowhere.example.com", "/")
                    + get("app.example.com", "/one") + get("private.example.com", "/")
                    + get("app.example.com", "/ping") + get("app.example.com", "/two")).next(5);
            assertThat(answers).extracting(RawConnection.Response::status).containsExactly(404, 200, 403, 200, 200);
            assertThat(answers.get(0).header("x-request-id")).isNotBlank();
            assertThat(answers.get(1).body()).contains("/one");
            assertThat(answers.get(3).body()).doesNotContain("\"path\"");
            assertThat(answers.get(4).body()).contains("/two");
        }
    }
}
