package dev.portcullis.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.signin.SignInRuntime;
import dev.portcullis.proxy.stage.ProxySnapshot;
import dev.portcullis.proxy.testing.RunningProxy;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trust boundary on its own: what it removes, what it believes, what it hands on. */
class TrustBoundaryTest {
    private static ProxySnapshot snapshot;

    @BeforeAll
    static void snapshot() throws Exception {
        snapshot = ProxySnapshot.of(RunningProxy.load("""
                xff_num_trusted_hops: 1
                jwt_claims_headers:
                  X-Email: email
                routes:
                  - from: http://app.example
                    to: http://127.0.0.1:1
                    allow_public_unauthenticated_access: true
                """, Map.of()), new SignInRuntime(Executors.newSingleThreadExecutor(),
                dev.portcullis.proxy.signin.SignInStores.inMemory(Clock.systemUTC()), Clock.systemUTC()), Optional.empty());
    }

    /** A channel whose peer is a loopback client, as the boundary asks the socket who sent the request. */
    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new TrustBoundary(() -> snapshot)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("127.0.0.1", 40000);
            }
        };
    }

    @Test
    void removesWhatTheProxyOwnsBelievesTrustedHopsAndTakesItsCredentials() {
        EmbeddedChannel channel = channel();
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers()
                .add("Host", "app.example")
                .add("X-Forwarded-For", "203.0.113.7, 198.51.100.1")
                .add("X-Forwarded-Proto", "https")
                .add("X_Forwarded_Host", "evil.example")
                .add("x_email", "ceo@example.com")
                .add("X-Pomerium-Claim-Groups", "admins")
                .add("Remote_User", "root")
                .add("Cookie", "_pomerium=sealed; theme=dark")
                .add("Authorization", "Pomerium sealed")
                .add("Accept", "text/html");
        channel.writeInbound(request);

        TrustedRequest trusted = channel.readInbound();
        assertThat(trusted.head().headers().names()).map(name -> name.toLowerCase(Locale.ROOT))
                .containsExactlyInAnyOrder("host", "cookie", "accept");
        assertThat(trusted.head().headers().get("Cookie")).isEqualTo("theme=dark");
        assertThat(trusted.credentials().cookieHeaders()).containsExactly("_pomerium=sealed");
        assertThat(trusted.credentials().authorization()).hasValue("Pomerium sealed");
        assertThat(trusted.forwarded().clientAddress()).isEqualTo("198.51.100.1");
        assertThat(trusted.forwarded().proto()).hasValue("https");
        assertThat(trusted.forwarded().host()).as("an underscore spelling is never believed").isEmpty();
        assertThat(trusted.snapshot()).isSameAs(snapshot);
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aFullRequestGoesOnAsItsHeadThenItsContent() {
        EmbeddedChannel channel = channel();
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/form",
                Unpooled.copiedBuffer("a=1", StandardCharsets.UTF_8));
        full.headers().add("Host", "app.example").add("X-Email", "forged");
        channel.writeInbound(full, new DefaultHttpContent(Unpooled.EMPTY_BUFFER));

        TrustedRequest trusted = channel.readInbound();
        assertThat(trusted.head().method()).isEqualTo(HttpMethod.POST);
        assertThat(trusted.head().headers().contains("X-Email")).isFalse();
        LastHttpContent content = channel.readInbound();
        assertThat(content.content().toString(StandardCharsets.UTF_8)).isEqualTo("a=1");
        content.release();
        HttpContent passedOn = channel.readInbound();
        passedOn.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void withoutCredentialsNothingIsTaken() {
        EmbeddedChannel channel = channel();
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        request.headers().add("Host", "app.example").add("Cookie", "a=1").add("Authorization", "Basic eA==");
        channel.writeInbound(request);
        TrustedRequest trusted = channel.readInbound();
        assertThat(trusted.credentials().isEmpty()).isTrue();
        assertThat(trusted.head().headers().getAll("Cookie")).isEqualTo(List.of("a=1"));
        assertThat(trusted.head().headers().get("Authorization")).isEqualTo("Basic eA==");
    }
}
