package dev.portcullis.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The HTTP/2 frame deadline on its own, fed raw frames, on a clock that moves only when the test says. */
class Http2FrameDeadlineTest {
    private static final byte[] PREFACE = bytesOf(Http2CodecUtil.connectionPrefaceBuf());
    /** An empty SETTINGS frame. */
    private static final byte[] SETTINGS = {0, 0, 0, 0x4, 0, 0, 0, 0, 0};
    /** HEADERS on stream 1 with 3 bytes of block, END_STREAM but not END_HEADERS. */
    private static final byte[] HEADERS_OPEN = {0, 0, 3, 0x1, 0x1, 0, 0, 0, 1, (byte) 0x82, (byte) 0x86, (byte) 0x84};
    /** CONTINUATION on stream 1 with 1 byte of block and END_HEADERS. */
    private static final byte[] CONTINUATION_END = {0, 0, 1, 0x9, 0x4, 0, 0, 0, 1, (byte) 0x41};
    /** A PING frame (8 bytes of payload). */
    private static final byte[] PING = {0, 0, 8, 0x6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};

    private static EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new Http2FrameDeadline(Duration.ofSeconds(10)));
        return channel;
    }

    private static void write(EmbeddedChannel channel, byte[]... parts) {
        for (byte[] part : parts) {
            channel.writeInbound(Unpooled.wrappedBuffer(part));
        }
        for (Object msg; (msg = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    private static void pass(EmbeddedChannel channel, long seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void wholeFramesLeaveNothingToTimeOut() {
        EmbeddedChannel channel = channel();
        write(channel, PREFACE, SETTINGS, HEADERS_OPEN, CONTINUATION_END, PING);
        pass(channel, 60);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aPrefaceTrickledInIsCutOffTimeoutAfterItsFirstByte() {
        EmbeddedChannel channel = channel();
        for (int i = 0; i < 9; i++) {
            write(channel, new byte[] {PREFACE[i]});
            pass(channel, 1);
        }
        assertThat(channel.isOpen()).isTrue();
        pass(channel, 1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aFrameTrickledInByteByByteIsCutOff() {
        EmbeddedChannel channel = channel();
        write(channel, PREFACE, SETTINGS);
        pass(channel, 30);
        for (int i = 0; i < 9; i++) {
            write(channel, new byte[] {PING[i]});
            pass(channel, 1);
            assertThat(channel.isOpen()).isTrue();
        }
        pass(channel, 1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHeaderBlockWithoutItsEndIsCutOffEvenWhenOtherFramesFollow() {
        EmbeddedChannel channel = channel();
        write(channel, PREFACE, SETTINGS, HEADERS_OPEN);
        for (int i = 0; i < 9; i++) {
            pass(channel, 1);
            write(channel, PING);
        }
        assertThat(channel.isOpen()).isTrue();
        pass(channel, 1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aFrameStartedBehindACompleteOneGetsItsOwnTime() {
        EmbeddedChannel channel = channel();
        write(channel, PREFACE);
        write(channel, new byte[] {SETTINGS[0]});
        pass(channel, 9);
        byte[] restAndPingStart = new byte[SETTINGS.length - 1 + 4];
        System.arraycopy(SETTINGS, 1, restAndPingStart, 0, SETTINGS.length - 1);
        System.arraycopy(PING, 0, restAndPingStart, SETTINGS.length - 1, 4);
        write(channel, restAndPingStart);
        pass(channel, 9);
        assertThat(channel.isOpen()).isTrue();
        pass(channel, 1);
        assertThat(channel.isOpen()).isFalse();
    }

    private static byte[] bytesOf(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.getBytes(buffer.readerIndex(), bytes);
        return bytes;
    }
}
