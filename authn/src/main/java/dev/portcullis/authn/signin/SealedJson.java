package dev.portcullis.authn.signin;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.KeyDerivation;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small JSON object sealed as a compact JWE (direct AES-256-GCM): authenticated encryption, so
 * the holder can neither read nor change it. Each use has its own key, derived from a secret with
 * HKDF-SHA256 and a label naming the use, so a value sealed for one use never opens as another.
 * Every sealed object carries its expiry ({@code exp}, epoch seconds); {@link #open} refuses it
 * afterwards and never throws for any input.
 */
public final class SealedJson {
    public static final String EXPIRY = "exp";
    private static final int MAX_SEALED_CHARS = 16 * 1024;

    private final SecretKey key;

    public SealedJson(byte[] secret, String label) {
        requireNonNull(secret, "secret");
        if (secret.length != 32) {
            throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: 32 random bytes)");
        }
        this.key = new SecretKeySpec(KeyDerivation.hkdfSha256(secret, "portcullis " + label + " v1", 32), "AES");
    }

    public String seal(Map<String, Object> members, Instant expiresAt) {
        Map<String, Object> json = new LinkedHashMap<>(members);
        json.put(EXPIRY, expiresAt.getEpochSecond());
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM), new Payload(json));
        try {
            DirectEncrypter encrypter = new DirectEncrypter(key);
            encrypter.getJCAContext().setSecureRandom(NonBlockingRandom.get());
            jwe.encrypt(encrypter);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal: " + e.getMessage(), e);
        }
        return jwe.serialize();
    }

    /** The members, when {@code sealed} is authentic and not expired at {@code now}. */
    public Optional<Map<String, Object>> open(String sealed, Instant now) {
        if (sealed == null || sealed.isEmpty() || sealed.length() > MAX_SEALED_CHARS) {
            return Optional.empty();
        }
        try {
            JWEObject jwe = JWEObject.parse(sealed);
            if (!JWEAlgorithm.DIR.equals(jwe.getHeader().getAlgorithm())
                    || !EncryptionMethod.A256GCM.equals(jwe.getHeader().getEncryptionMethod())
                    || jwe.getHeader().getCompressionAlgorithm() != null) {
                return Optional.empty();
            }
            jwe.decrypt(new DirectDecrypter(key));
            Map<String, Object> json = jwe.getPayload().toJSONObject();
            if (json == null || !(json.get(EXPIRY) instanceof Number exp) || !now.isBefore(Instant.ofEpochSecond(exp.longValue()))) {
                return Optional.empty();
            }
            return Optional.of(json);
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static Optional<String> string(Map<String, Object> json, String member) {
        return json.get(member) instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
