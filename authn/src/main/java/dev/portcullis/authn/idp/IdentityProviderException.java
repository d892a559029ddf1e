package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

/**
 * Why a provider call failed. The message is safe to show a user and to log: it never holds a
 * token, code, secret or client secret. Expected failures carry no stack trace.
 */
public final class IdentityProviderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The two ways a call fails. */
    public enum Kind {
        /** Network error, timeout, 5xx answer, discovery failed: worth retrying later. */
        UNAVAILABLE,
        /**
         * An OAuth error answer ({@code invalid_grant}, {@code access_denied}, ...), an invalid token,
         * a nonce mismatch, or an operation the provider does not support.
         */
        REJECTED
    }

    private final Kind kind;

    IdentityProviderException(Kind kind, String message) {
        this(kind, message, null);
    }

    IdentityProviderException(Kind kind, String message, Throwable cause) {
        super(requireNonNull(message, "message"), cause, false, false);
        this.kind = requireNonNull(kind, "kind");
    }

    static IdentityProviderException unavailable(String message) {
        return new IdentityProviderException(Kind.UNAVAILABLE, message);
    }

    /**
     * A refusal ({@code REJECTED}) with a message safe to show the user; for providers outside this
     * package, such as the built-in one.
     */
    public static IdentityProviderException rejected(String message) {
        return new IdentityProviderException(Kind.REJECTED, message);
    }

    /** Whether the call may succeed when retried later. */
    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return "IdentityProviderException[" + kind + "]: " + getMessage();
    }
}
