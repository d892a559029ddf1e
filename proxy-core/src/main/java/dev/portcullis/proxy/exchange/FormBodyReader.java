package dev.portcullis.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a small request body whole (a form posted to one of the proxy's own endpoints), then
 * hands it over as text. A body longer than {@link #LIMIT} is not read further: the callback gets
 * null and the connection is not reused.
 */
final class FormBodyReader implements InFlight {
    static final int LIMIT = 64 * 1024;

    private final Downstream downstream;
    private final RequestContext rc;
    private final Consumer<String> then;
    private final CompositeByteBuf body;
    private boolean done;

    private FormBodyReader(Downstream downstream, RequestContext rc, Consumer<String> then) {
        this.downstream = downstream;
        this.rc = rc;
        this.then = then;
        this.body = downstream.ctx().alloc().compositeBuffer();
    }

    /** Reads the body of {@code rc}'s request, then calls {@code then} on the event loop with it (or null when too long). */
    static void read(Downstream downstream, RequestContext rc, Consumer<String> then) {
        FormBodyReader reader = new FormBodyReader(downstream, rc, then);
        downstream.attach(reader);
        downstream.readMore();
    }

    @Override
    public void onRequestContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        ByteBuf bytes = content.content();
        rc.addBytesIn(bytes.readableBytes());
        boolean last = content instanceof LastHttpContent;
        if (body.readableBytes() + bytes.readableBytes() > LIMIT) {
            content.release();
            finish(null);
            return;
        }
        body.addComponent(true, bytes.retain());
        content.release();
        if (last) {
            finish(body.toString(StandardCharsets.UTF_8));
        } else {
            downstream.readMore();
        }
    }

    private void finish(String text) {
        done = true;
        body.release();
        then.accept(text);
    }

    @Override
    public void onDownstreamWritabilityChanged() {
        // Nothing is written while the body is read.
    }

    @Override
    public void onDownstreamClosed() {
        if (!done) {
            done = true;
            body.release();
            downstream.abort();
        }
    }
}
