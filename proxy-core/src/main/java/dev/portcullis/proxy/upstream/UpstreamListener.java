package dev.portcullis.proxy.upstream;

/** What happens on an upstream connection while a request is bound to it. Called on its event loop. */
public interface UpstreamListener {
    /**
     * A decoded part of the response (an {@code HttpObject}), or raw bytes after a protocol
     * switch; the listener owns it.
     */
    void onUpstreamMessage(Object message);

    /** The end of one read from the upstream socket. */
    void onUpstreamReadComplete();

    /** The upstream connection can (or can no longer) take more writes without buffering. */
    void onUpstreamWritabilityChanged();

    /** The upstream connection closed or failed. */
    void onUpstreamClosed(Throwable cause);
}
