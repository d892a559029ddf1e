package dev.portcullis.proxy.metrics;

import java.util.Optional;

/**
 * What sign-in reports as it happens, for metrics. Called from event loops and provider threads, so an
 * implementation never blocks. {@link #NONE} ignores everything (metrics off).
 */
public interface SignInEvents {
    /** Ignores every event. */
    SignInEvents NONE = new SignInEvents() {};

    /** How a due session's renewal ended. */
    enum Refresh {
        /** The provider renewed the tokens. */
        RENEWED("renewed"),
        /** The provider refused: the session was revoked and the user signs in again. */
        ENDED("ended"),
        /** The provider could not be used: the session goes on and renewal is retried later. */
        FAILED("failed");

        private final String label;

        Refresh(String label) {
            this.label = label;
        }

        /** The metric label value. */
        public String label() {
            return label;
        }
    }

    /** A user completed sign-in with the identity provider and got a session. */
    default void signedIn() {}

    /** A user signed out on the authenticate host. */
    default void signedOut() {}

    /** A session's renewal ended {@code how}. */
    default void sessionRefreshed(Refresh how) {}

    /**
     * The identity provider call {@code operation} took {@code nanos}; {@code failure} names how it
     * failed ({@code rejected}, {@code unavailable}, {@code error}) or is empty when it succeeded.
     */
    default void providerCall(String operation, long nanos, Optional<String> failure) {}
}
