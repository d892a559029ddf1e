package dev.portcullis.authn.session;

/**
 * What a sealed session is for. Each purpose has its own derived key and its own header value, so a
 * value sealed for one purpose is never accepted as another (a route cookie cannot be replayed as
 * the authenticate service's cookie, nor the reverse, and a renewal kept in a shared store is neither).
 */
public enum Purpose {
    /** The session cookie on a route host ({@code cookie_name}, default {@code _pomerium}). */
    ROUTE_SESSION("route_session"),
    /** The authenticate service's own cookie ({@code _pomerium_authenticate}). */
    AUTHENTICATE_SESSION("authenticate_session"),
    /**
     * A renewed session kept in a store that replicas share (Redis), for them to read back; never a cookie, so a
     * value copied out of the store does not open as one, and a cookie written into the store does not open there.
     */
    SHARED_RENEWAL("shared_renewal");

    private final String label;

    Purpose(String label) {
        this.label = label;
    }

    /** The value carried in the JWE header and mixed into the key derivation. */
    public String label() {
        return label;
    }
}
