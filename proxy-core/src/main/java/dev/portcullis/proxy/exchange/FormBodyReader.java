package dev.portcullis.proxy.exchange;

import dev.portcullis.proxy.stage.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads a small request body whole (a form posted to one of the proxy's own endpoints) and hands it
 * over as text. A body longer than the limit is not read further: the stage gets empty, and the
 * connection is not reused.
 */
final class FormBodyReader implements InFlight {
    private final Downstream downstream;
    private final Exchange exchange;
    private final int limit;
    private final CompositeByteBuf body;
    private final CompletableFuture<Optional<String>> text = new CompletableFuture<>();

    private FormBodyReader(Downstream downstream, Exchange exchange, int limit) {
        this.downstream = downstream;
        this.exchange = exchange;
        this.limit = limit;
        this.body = downstream.alloc().compositeBuffer();
    }

    /** Reads the request body; completes on the event loop with it, or empty when longer than {@code limit}. */
    static CompletionStage<Optional<String>> read(Downstream downstream, Exchange exchange, int limit) {
        FormBodyReader reader = new FormBodyReader(downstream, exchange, limit);
        downstream.attach(reader);
        downstream.readMore();
        return reader.text;
    }

    @Override
    public void onRequestContent(HttpContent content) {
        if (text.isDone()) {
            content.release();
            return;
        }
        ByteBuf bytes = content.content();
        exchange.addBytesIn(bytes.readableBytes());
        boolean last = content instanceof LastHttpContent;
        if (body.readableBytes() + bytes.readableBytes() > limit) {
            content.release();
            finish(Optional.empty());
            return;
        }
        body.addComponent(true, bytes.retain());
        content.release();
        if (last) {
            finish(Optional.of(body.toString(StandardCharsets.UTF_8)));
        } else {
            downstream.readMore();
        }
    }

    private void finish(Optional<String> result) {
        body.release();
        text.complete(result);
    }

    /** The stage gets no body; the request is then refused (see {@link Downstream#requestFailed}). */
    @Override
    public void onRequestFailed() {
        if (!text.isDone()) {
            finish(Optional.empty());
        }
    }

    @Override
    public void onDownstreamWritabilityChanged() {
        // Nothing is written while the body is read.
    }

    @Override
    public void onDownstreamClosed() {
        if (!text.isDone()) {
            downstream.abort();
            finish(Optional.empty());
        }
    }
}
