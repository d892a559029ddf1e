package dev.portcullis.proxy.server;


import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;

/**
 * {@code timeout_read} for what a client sends on an HTTP/2 connection: the connection preface
 * (RFC 9113 §3.4), each frame (§4.1), and each header block — a HEADERS frame with the CONTINUATION
 * frames up to END_HEADERS (§6.10) — must be complete within it from its first byte; when it passes,
 * the connection is closed. Netty's HTTP/2 codec has no such bound: a client trickling a frame a
 * byte at a time, or opening a header block and never ending it, would hold the connection and the
 * partial block for as long as it liked. A connection quiet between frames is {@code timeout_idle}'s.
 *
 * <p>Reads only the 9-byte frame headers, to know where frames end; the bytes go on to the codec
 * unchanged (and a frame the codec finds malformed is the codec's to refuse).
 */
final class Http2FrameDeadline extends ChannelInboundHandlerAdapter {
    private static final int PREFACE_LENGTH = 24;
    private static final int FRAME_HEADER_LENGTH = 9;
    private static final int HEADERS = 0x1;
    private static final int PUSH_PROMISE = 0x5;
    private static final int CONTINUATION = 0x9;
    private static final int END_HEADERS = 0x4;

    private final byte[] frameHeader = new byte[FRAME_HEADER_LENGTH];
    private int prefaceLeft = PREFACE_LENGTH;
    private int frameHeaderRead;
    private long payloadLeft;
    private boolean headerBlockOpen;
    private final ReadDeadline deadline;

    /** @param timeout {@code timeout_read}; greater than zero */
    Http2FrameDeadline(Duration timeout) {
        this.deadline = new ReadDeadline(timeout);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
            boolean startedAnother = follow(bytes);
            if (atBoundary()) {
                deadline.cancel();
            } else if (startedAnother || !deadline.isRunning()) {
                deadline.cancel();
                deadline.start(ctx, "HTTP/2 frame");
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Follows the frames through {@code bytes}; whether a new preface, frame or header block began in them. */
    private boolean follow(ByteBuf bytes) {
        boolean startedAnother = false;
        int i = bytes.readerIndex();
        int end = bytes.writerIndex();
        while (i < end) {
            if (atBoundary()) {
                startedAnother = true;
            }
            if (prefaceLeft > 0) {
                int n = Math.min(prefaceLeft, end - i);
                prefaceLeft -= n;
                i += n;
            } else if (payloadLeft > 0) {
                int n = (int) Math.min(payloadLeft, end - i);
                payloadLeft -= n;
                i += n;
            } else {
                frameHeader[frameHeaderRead++] = bytes.getByte(i++);
                if (frameHeaderRead == FRAME_HEADER_LENGTH) {
                    frameHeaderRead = 0;
                    frameHeaderComplete();
                }
            }
        }
        return startedAnother;
    }

    private void frameHeaderComplete() {
        payloadLeft = ((frameHeader[0] & 0xffL) << 16) | ((frameHeader[1] & 0xffL) << 8) | (frameHeader[2] & 0xffL);
        int type = frameHeader[3] & 0xff;
        boolean endHeaders = (frameHeader[4] & END_HEADERS) != 0;
        if (type == HEADERS || type == PUSH_PROMISE || (type == CONTINUATION && headerBlockOpen)) {
            headerBlockOpen = !endHeaders;
        }
    }

    /** Between two frames, outside a header block: nothing partial is held. */
    private boolean atBoundary() {
        return prefaceLeft == 0 && frameHeaderRead == 0 && payloadLeft == 0 && !headerBlockOpen
                && prefaceStarted();
    }

    private boolean prefaceStarted() {
        return prefaceLeft < PREFACE_LENGTH;
    }


    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        deadline.cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel();
    }
}
