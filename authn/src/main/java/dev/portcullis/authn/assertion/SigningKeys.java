package dev.portcullis.authn.assertion;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The keys of the assertion: the one that signs, and every one published in the key set. As in
 * Pomerium, a {@code signing_key} with several PEM keys is a rotation: the first signs and all are
 * published (upstreams that fetched the key set before the switch keep verifying, and so do those
 * that fetch it after); the key derived from {@code shared_secret} is alone. Immutable.
 */
public final class SigningKeys {

    private final List<SigningKey> published;

    private SigningKeys(List<SigningKey> published) {
        if (published.isEmpty()) {
            throw new IllegalArgumentException("published: empty (expected: at least the signing key)");
        }
        this.published = List.copyOf(published);
    }

    /**
     * Every key in {@code pem} ({@code signing_key} decoded, or the contents of {@code signing_key_file}).
     *
     * @throws InvalidSigningKeyException unless every key in it is acceptable (see {@link SigningKey#fromPem})
     */
    public static SigningKeys fromPem(String pem) {
        requireNonNull(pem, "pem");
        return new SigningKeys(PemSigningKeyReader.readAll(pem).stream().map(SigningKey::new).toList());
    }

    /**
     * The key derived from {@code sharedSecret}, alone (see {@link SigningKey#derivedFrom}).
     *
     * @throws InvalidSigningKeyException when the secret is shorter than 32 bytes
     */
    public static SigningKeys derivedFrom(byte[] sharedSecret) {
        return of(SigningKey.derivedFrom(sharedSecret));
    }

    /** {@code key} alone: it signs and is the only one published. */
    public static SigningKeys of(SigningKey key) {
        return new SigningKeys(List.of(requireNonNull(key, "key")));
    }

    /** The key that signs: the first. */
    public SigningKey signing() {
        return published.get(0);
    }

    /** Every key, the signing one first, in the order configured. */
    public List<SigningKey> published() {
        return published;
    }

    @Override
    public String toString() {
        return "SigningKeys" + published;
    }
}
