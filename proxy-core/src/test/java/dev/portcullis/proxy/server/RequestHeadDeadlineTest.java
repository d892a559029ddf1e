package dev.portcullis.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The head deadline on its own, around a real codec, on a clock that moves only when the test says. */
class RequestHeadDeadlineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static EmbeddedChannel channel() {
        RequestHeadDeadline deadline = new RequestHeadDeadline(TIMEOUT);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(deadline.bytesWatcher(), new HttpServerCodec(), deadline.headWatcher());
        return channel;
    }

    private static void write(EmbeddedChannel channel, String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    private static void pass(EmbeddedChannel channel, long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    private static void releaseInbound(EmbeddedChannel channel) {
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Test
    void aHeadTricklingInByteByByteIsCutOffTimeoutAfterItsFirstByte() {
        EmbeddedChannel channel = channel();
        write(channel, "GET / HTTP/1.1\r\n");
        for (int second = 1; second < 10; second++) {
            pass(channel, 1);
            write(channel, "X");
            assertThat(channel.isOpen()).as("open after %d s", second).isTrue();
        }
        pass(channel, 1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHeadCompleteInTimeStopsTheDeadline() {
        EmbeddedChannel channel = channel();
        write(channel, "GET / HTTP/1.1\r\n");
        pass(channel, 9);
        write(channel, "Host: a\r\n\r\n");
        assertThat((Object) channel.readInbound()).isInstanceOf(HttpRequest.class);
        releaseInbound(channel);
        pass(channel, 60);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aQuietConnectionBetweenRequestsIsNotTheHeadDeadlinesToClose() {
        EmbeddedChannel channel = channel();
        pass(channel, 60);
        assertThat(channel.isOpen()).isTrue();
        write(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        releaseInbound(channel);
        pass(channel, 60);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void theNextHeadHasItsOwnDeadlineFromItsFirstByte() {
        EmbeddedChannel channel = channel();
        write(channel, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
        releaseInbound(channel);
        pass(channel, 30);
        write(channel, "GET /2 HTTP/1.1\r\n");
        pass(channel, 9);
        assertThat(channel.isOpen()).isTrue();
        pass(channel, 1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void bodyBytesStartNoHeadDeadline() {
        EmbeddedChannel channel = channel();
        write(channel, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
        releaseInbound(channel);
        pass(channel, 5);
        write(channel, "def");
        pass(channel, 30);
        assertThat(channel.isOpen()).isTrue();
        write(channel, "ghij");
        Object last = null;
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            last = msg;
            ReferenceCountUtil.release(msg);
        }
        assertThat(last).isInstanceOf(LastHttpContent.class);
        pass(channel, 60);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aTimeoutOfZeroIsNotADeadline() {
        assertThatThrownBy(() -> new RequestHeadDeadline(Duration.ZERO)).hasMessageContaining("expected: > 0");
    }
}
