package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * A certificate obtained from the ACME server: the names it covers, its chain (leaf first) and its
 * PKCS#8 private key as PEM text, and its validity. {@link #toString()} leaves the key out, so the
 * record can be logged.
 */
public record IssuedCertificate(Set<String> names, String chainPem, String keyPem, Instant notBefore, Instant notAfter) {

    public IssuedCertificate {
        names = Set.copyOf(requireNonNull(names, "names"));
        requireNonNull(chainPem, "chainPem");
        requireNonNull(keyPem, "keyPem");
        requireNonNull(notBefore, "notBefore");
        requireNonNull(notAfter, "notAfter");
    }

    /** True when this certificate is no longer valid at {@code now}. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(notAfter);
    }

    @Override
    public String toString() {
        return "IssuedCertificate[names=" + new TreeSet<>(names) + ", notBefore=" + notBefore + ", notAfter=" + notAfter + "]";
    }
}
