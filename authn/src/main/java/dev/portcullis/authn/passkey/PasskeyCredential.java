package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinUser;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One registered passkey of a built-in user. Holds no secret: the public key verifies, it cannot sign.
 *
 * @param id         the credential id, base64url without padding, as the browser's {@code PublicKeyCredential.id}
 * @param email      the owner's email, lower-cased ({@link BuiltinUser#normalizedEmail()})
 * @param publicKey  the credential public key as a COSE_Key (RFC 9052 §7), the bytes the authenticator gave
 * @param signCount  the last signature counter seen; 0 for authenticators that do not count
 * @param name       the name the user gave it ("Phone"); may be empty
 * @param created    when it was registered
 * @param lastUsed   when it last signed someone in
 * @param transports the transports the browser reported at registration ({@code internal}, {@code hybrid}, {@code usb} …)
 */
public record PasskeyCredential(String id, String email, byte[] publicKey, long signCount, String name, Instant created,
        Optional<Instant> lastUsed, List<String> transports) {

    public PasskeyCredential {
        requireNonNull(id, "id");
        requireNonNull(email, "email");
        publicKey = requireNonNull(publicKey, "publicKey").clone();
        requireNonNull(name, "name");
        requireNonNull(created, "created");
        requireNonNull(lastUsed, "lastUsed");
        transports = List.copyOf(requireNonNull(transports, "transports"));
        if (id.isEmpty() || !id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("id: \"" + id + "\" (expected: base64url without padding)");
        }
        if (!email.equals(BuiltinUser.normalize(email))) {
            throw new IllegalArgumentException("email: \"" + email + "\" (expected: lower-cased)");
        }
        if (signCount < 0 || signCount > 0xffffffffL) {
            throw new IllegalArgumentException("signCount: " + signCount + " (expected: 0 to 2^32-1)");
        }
    }

    /** A copy of the COSE public key. */
    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** This credential after signing in at {@code usedAt} with counter {@code presentedCount}; the counter never goes down. */
    public PasskeyCredential usedAt(Instant usedAt, long presentedCount) {
        return new PasskeyCredential(id, email, publicKey, Math.max(signCount, presentedCount), name, created,
                Optional.of(usedAt), transports);
    }

    /** This credential with another name. */
    public PasskeyCredential named(String newName) {
        return new PasskeyCredential(id, email, publicKey, signCount, newName, created, lastUsed, transports);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasskeyCredential that && id.equals(that.id) && email.equals(that.email)
                && Arrays.equals(publicKey, that.publicKey) && signCount == that.signCount && name.equals(that.name)
                && created.equals(that.created) && lastUsed.equals(that.lastUsed) && transports.equals(that.transports);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, email, Arrays.hashCode(publicKey), signCount, name, created, lastUsed, transports);
    }

    @Override
    public String toString() {
        return "PasskeyCredential[id=" + id + ", email=" + email + ", name=" + name + ", signCount=" + signCount + "]";
    }
}
