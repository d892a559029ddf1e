package dev.portcullis.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.tls.ConnectionFacts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The PROXY header receiver behind Netty's decoder, on a clock that moves only when the test says. */
class ProxyProtocolReceiverTest {
    private final AtomicBoolean restInstalled = new AtomicBoolean();

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new HAProxyMessageDecoder(),
                new ProxyProtocolReceiver(Duration.ofSeconds(10), ch -> restInstalled.set(true)));
        return channel;
    }

    private static void write(EmbeddedChannel channel, String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private static void pass(EmbeddedChannel channel, long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aHeaderInPiecesRecordsItsSourceAndPassesOnTheBytesAfterIt() {
        EmbeddedChannel channel = channel();
        write(channel, "PROXY TCP6 2001:db8::7 ::1 ");
        assertThat(restInstalled).isFalse();
        write(channel, "5555 443\r\nGET / HTTP/1.1\r\n");

        assertThat(restInstalled).isTrue();
        assertThat(ConnectionFacts.peer(channel)).isEqualTo(new InetSocketAddress("2001:db8::7", 5555));
        ByteBuf rest = channel.readInbound();
        assertThat(rest.toString(StandardCharsets.ISO_8859_1)).isEqualTo("GET / HTTP/1.1\r\n");
        rest.release();
        pass(channel, 60);
        assertThat(channel.isOpen()).as("the deadline ends with the header").isTrue();
        channel.finishAndReleaseAll();
    }

    @Test
    void aHeaderNotCompleteWithinTheDeadlineClosesTheConnection() {
        EmbeddedChannel channel = channel();
        write(channel, "PROXY TCP4 203.0.113.7");
        pass(channel, 9);
        assertThat(channel.isOpen()).isTrue();
        pass(channel, 1);
        assertThat(channel.isOpen()).isFalse();
        assertThat(restInstalled).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void anHttpRequestInsteadOfAHeaderIsClosedAndNotPassedOn() {
        EmbeddedChannel channel = channel();
        write(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(channel.isOpen()).isFalse();
        assertThat(restInstalled).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
        channel.finishAndReleaseAll();
    }
}
