package dev.portcullis.proxy.exchange;

import io.netty.handler.codec.http.HttpContent;

/** The request currently being answered on a downstream channel (one per HTTP/1.1 connection or HTTP/2 stream). */
interface InFlight {
    /** A part of the request body; the receiver owns and eventually releases it. */
    void onRequestContent(HttpContent content);

    /**
     * The rest of the request body could not be decoded (a malformed chunk): no more of it comes,
     * and what came is not the whole request. Answer 400 if nothing was answered yet, else close.
     */
    void onRequestFailed();

    /** The downstream channel can (or can no longer) take writes without buffering. */
    void onDownstreamWritabilityChanged();

    /** The client went away before the answer was complete. */
    void onDownstreamClosed();
}
