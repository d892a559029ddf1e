package dev.portcullis.proxy.exchange;

import io.netty.handler.codec.http.HttpContent;
import java.util.ArrayDeque;

/**
 * Holds the parts of the request body that arrive while an access decision is pending (no more
 * is read meanwhile, so this is at most one read), then passes them to the stage that follows.
 */
final class AwaitingDecision implements InFlight {
    private final Downstream downstream;
    private final ArrayDeque<HttpContent> held = new ArrayDeque<>();
    private boolean clientGone;

    AwaitingDecision(Downstream downstream) {
        this.downstream = downstream;
    }

    @Override
    public void onRequestContent(HttpContent content) {
        if (clientGone) {
            content.release();
        } else {
            held.add(content);
        }
    }

    boolean clientGone() {
        return clientGone;
    }

    /** Hands what was held to whichever stage is now attached to the downstream. */
    void replayTo(Downstream downstream) {
        while (!held.isEmpty()) {
            downstream.deliver(held.poll());
        }
    }

    /** The held parts go: the request is refused when the decision arrives (see {@link Downstream#requestFailed}). */
    @Override
    public void onRequestFailed() {
        while (!held.isEmpty()) {
            held.poll().release();
        }
    }

    @Override
    public void onDownstreamWritabilityChanged() {
        // Nothing is written while the decision is pending.
    }

    @Override
    public void onDownstreamClosed() {
        clientGone = true;
        while (!held.isEmpty()) {
            held.poll().release();
        }
        downstream.abort();
    }
}
