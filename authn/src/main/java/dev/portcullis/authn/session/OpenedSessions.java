package dev.portcullis.authn.session;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sessions a {@link SessionSealer} has already opened, keyed by the SHA-256 digest of the sealed value and its
 * {@link Purpose}, so that a cookie seen again costs one digest and one lookup instead of a JWE decryption.
 *
 * <p>Only what the sealer verified is ever put in (an authentic value that opened to a session); a value that was
 * never verified can only match an entry if it has the same SHA-256 digest as one that was. The cache belongs to
 * one sealer, so a new {@code cookie_secret} (a new sealer) starts empty. It holds at most {@link #CAPACITY}
 * entries: a slot chosen by the digest, where a newer value replaces an older one. Expiry is not the cache's
 * concern: the sealer checks the session's times on every call, hit or not, and revocation is checked after
 * {@link SessionSealer#unseal} by its callers, as before.
 *
 * <p>Thread-safe without locks: each slot is an atomic reference to an immutable entry.
 */
final class OpenedSessions {
    /**
     * Slots; a household or small office has far fewer live sessions. About 1 KB each when full (a few KB for the
     * authenticate host's sessions, which keep the ID token).
     */
    static final int CAPACITY = 1024;

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private record Entry(byte[] digest, Purpose purpose, Session session) {}

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(CAPACITY);

    /** The digest that identifies {@code sealed} (of its UTF-8 bytes, so that no two strings share one). */
    static byte[] digestOf(String sealed) {
        return SHA_256.get().digest(sealed.getBytes(UTF_8));
    }

    /** The session {@code digest} opened to for {@code purpose}, if it is still held. */
    Optional<Session> find(byte[] digest, Purpose purpose) {
        Entry entry = slots.get(slotOf(digest));
        if (entry != null && entry.purpose() == purpose && MessageDigest.isEqual(entry.digest(), digest)) {
            return Optional.of(entry.session());
        }
        return Optional.empty();
    }

    /** Remembers that the value of {@code digest} opened, for {@code purpose}, to {@code session}. */
    void remember(byte[] digest, Purpose purpose, Session session) {
        slots.set(slotOf(digest), new Entry(digest, requireNonNull(purpose, "purpose"), requireNonNull(session, "session")));
    }

    private static int slotOf(byte[] digest) {
        int bits = (digest[0] & 0xff) | (digest[1] & 0xff) << 8 | (digest[2] & 0xff) << 16;
        return bits & (CAPACITY - 1);
    }
}
