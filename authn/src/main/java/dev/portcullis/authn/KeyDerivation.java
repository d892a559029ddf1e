package dev.portcullis.authn;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The one way keys are derived from the configured secrets: HKDF-SHA256 (RFC 5869) with no salt
 * (§3.1: the secrets are already uniformly random) and an {@code info} label naming the purpose,
 * so one secret never serves two purposes directly.
 */
public final class KeyDerivation {
    private KeyDerivation() {}

    /** {@code length} bytes of HKDF-SHA256 output keying material for {@code secret} and {@code info}. */
    public static byte[] hkdfSha256(byte[] secret, String info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(secret, null, info.getBytes(StandardCharsets.US_ASCII)));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
