package dev.portcullis.authn.session;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.CompressionAlgorithm;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import dev.portcullis.authn.NonBlockingRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals a {@link Session} into a cookie value and opens it again, with the cookie secret.
 *
 * <p>A sealed session is a compact JWE (RFC 7516): {@code alg: dir}, {@code enc: A256GCM} (AES-GCM,
 * an authenticated cipher, so the cookie can be neither read nor forged), {@code zip: DEF} to keep
 * large group lists under the browser's cookie limit, and a {@code purpose} header member. Each
 * {@link Purpose} has its own key, derived from the cookie secret with HKDF-SHA256 (see
 * {@link SealingKeys}); the header is authenticated as the cipher's additional data, and its purpose
 * is checked as well, so a cookie of one purpose never opens as the other.
 *
 * <p>{@link #unseal} fails closed and quietly: anything tampered, truncated, malformed, sealed with
 * another secret or for another purpose, with an unexpected algorithm, expired, or issued more than
 * {@link #CLOCK_SKEW} in the future gives an empty result, never an exception. The header's length is
 * checked before it is parsed, and the payload is only decompressed after the GCM tag has been
 * verified, so an outsider cannot make the proxy inflate a compression bomb.
 *
 * <p>Compressing before encrypting lets someone who sees the cookie's length learn a little about
 * its content, if they can also choose part of it (CRIME-style). That needs an observer of the
 * victim's traffic who also controls the victim's claims at the identity provider; the size saving
 * (a user in many groups stays within one cookie) is judged worth it.
 *
 * <p>A value opened once is remembered ({@link OpenedSessions}, bounded, keyed by its SHA-256 digest), so a
 * signed-in browser's cookie is decrypted once, not on every request; its times are still checked at every call.
 *
 * <p>Instances are thread-safe. Each seal draws a fresh random 96-bit IV; with one key
 * per cookie secret, stay well below 2^32 seals per secret (NIST SP 800-38D §8.3), which is far
 * beyond any sign-in rate of this proxy.
 */
public final class SessionSealer {

    /** How far in the future a session's issuedAt may lie and still be accepted (clock drift). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    /** The JWE header member that names the {@link Purpose}. */
    public static final String PURPOSE_HEADER = "purpose";
    /** Longer input is refused without parsing; larger than the most a chunked cookie carries. */
    static final int MAX_SEALED_CHARS = 64 * 1024;
    /** Our header is about 100 characters; a longer one is refused before it is decoded. */
    static final int MAX_HEADER_CHARS = 512;

    private static final Logger log = LoggerFactory.getLogger(SessionSealer.class);

    private final SealingKeys keys;
    private final OpenedSessions opened = new OpenedSessions();

    /**
     * @param cookieSecret the 32-byte {@code COOKIE_SECRET}; it is read, not kept, and not modified
     * @throws IllegalArgumentException when the secret is not 32 bytes long
     */
    public SessionSealer(byte[] cookieSecret) {
        this.keys = new SealingKeys(cookieSecret);
    }

    /** The session as a compact JWE for {@code purpose}; the characters are base64url and dots. */
    public String seal(Session session, Purpose purpose) {
        requireNonNull(session, "session");
        requireNonNull(purpose, "purpose");
        JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                .compressionAlgorithm(CompressionAlgorithm.DEF)
                .customParam(PURPOSE_HEADER, purpose.label())
                .build();
        JWEObject jwe = new JWEObject(header, new Payload(SessionJson.toJson(session)));
        try {
            DirectEncrypter encrypter = new DirectEncrypter(keys.keyFor(purpose));
            encrypter.getJCAContext().setSecureRandom(NonBlockingRandom.get());
            jwe.encrypt(encrypter);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal a session: " + e.getMessage(), e);
        }
        return jwe.serialize();
    }

    /**
     * The session sealed in {@code sealed} for {@code purpose}, if it is authentic and current at
     * {@code now}; empty otherwise (see the class documentation). Never throws for any input value.
     */
    public Optional<Session> unseal(String sealed, Purpose purpose, Instant now) {
        requireNonNull(purpose, "purpose");
        requireNonNull(now, "now");
        if (sealed == null || sealed.isEmpty() || sealed.length() > MAX_SEALED_CHARS) {
            return Optional.empty();
        }
        int headerEnd = sealed.indexOf('.');
        if (headerEnd < 0 || headerEnd > MAX_HEADER_CHARS) {
            return Optional.empty();
        }
        byte[] digest = OpenedSessions.digestOf(sealed);
        Optional<Session> known = opened.find(digest, purpose);
        if (known.isPresent()) {
            return known.filter(session -> isCurrent(session, now));
        }
        try {
            Optional<Session> session = open(sealed, purpose);
            session.ifPresent(authentic -> opened.remember(digest, purpose, authentic));
            return session.filter(authentic -> isCurrent(authentic, now));
        } catch (ParseException | JOSEException | RuntimeException e) {
            log.debug("session cookie refused ({}): {}", purpose, e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private Optional<Session> open(String sealed, Purpose purpose)
            throws ParseException, JOSEException {
        JWEObject jwe = JWEObject.parse(sealed);
        if (!hasExpectedHeader(jwe.getHeader(), purpose)) {
            log.debug("session cookie refused ({}): unexpected header", purpose);
            return Optional.empty();
        }
        jwe.decrypt(new DirectDecrypter(keys.keyFor(purpose)));
        Map<String, Object> json = jwe.getPayload().toJSONObject();
        if (json == null) {
            return Optional.empty();
        }
        return Optional.of(SessionJson.fromJson(json));
    }

    private static boolean hasExpectedHeader(JWEHeader header, Purpose purpose) {
        CompressionAlgorithm zip = header.getCompressionAlgorithm();
        return JWEAlgorithm.DIR.equals(header.getAlgorithm())
                && EncryptionMethod.A256GCM.equals(header.getEncryptionMethod())
                && (zip == null || CompressionAlgorithm.DEF.equals(zip))
                && purpose.label().equals(header.getCustomParam(PURPOSE_HEADER));
    }

    private static boolean isCurrent(Session session, Instant now) {
        if (session.isExpiredAt(now)) {
            log.debug("session cookie refused: expired at {}", session.expiresAt());
            return false;
        }
        if (session.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            log.debug("session cookie refused: issued in the future at {}", session.issuedAt());
            return false;
        }
        return true;
    }
}
