package dev.portcullis.authn;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The secure random generator used for ids, nonces and encryption IVs on request threads: a
 * NIST SP 800-90A DRBG, seeded once when this class is loaded and never reading an entropy device
 * afterwards. The platform default ({@code NativePRNG}) reads {@code /dev/urandom} on every call,
 * which is blocking I/O that must not happen on an event loop.
 */
public final class NonBlockingRandom {
    private static final SecureRandom INSTANCE = create();

    private NonBlockingRandom() {}

    /** The shared generator; thread-safe. */
    public static SecureRandom get() {
        return INSTANCE;
    }

    private static SecureRandom create() {
        SecureRandom random;
        try {
            random = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no DRBG secure random generator", e);
        }
        random.nextBytes(new byte[32]);
        return random;
    }
}
