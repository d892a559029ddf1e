package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.ClientCertificate;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.eval.Verdict;
import dev.portcullis.policy.internal.match.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code client_certificate}: the presented certificate matches every given condition: one of the
 * fingerprints, one of the SPKI hashes, and a subject alternative name of each given type that satisfies
 * its string matcher. No certificate: fails with {@code client-certificate-required}.
 */
public final class ClientCertificateCriterion extends Criterion {

    private static final long MISSING = Verdict.of(false, Reason.CLIENT_CERTIFICATE_REQUIRED);

    /**
     * What the certificate must have; a null or empty part is not tested.
     *
     * @param fingerprints SHA-256 fingerprints as 64 lower-case hex digits
     * @param spkiHashes   base64 SHA-256 hashes of the SubjectPublicKeyInfo
     */
    public record Conditions(Set<String> fingerprints, Set<String> spkiHashes, StringMatcher sanEmail,
            StringMatcher sanDns, StringMatcher sanUri) {
        public Conditions {
            fingerprints = fingerprints == null ? Set.of() : Set.copyOf(fingerprints);
            spkiHashes = spkiHashes == null ? Set.of() : Set.copyOf(spkiHashes);
        }
    }

    private final Conditions conditions;

    public ClientCertificateCriterion(String path, Conditions conditions) {
        super(path, "client_certificate " + describe(conditions),
                Reason.CLIENT_CERTIFICATE_OK, Reason.CLIENT_CERTIFICATE_UNAUTHORIZED);
        this.conditions = conditions;
    }

    @Override
    public long evaluate(AccessRequest request) {
        return request.clientCertificate().isEmpty() ? MISSING : super.evaluate(request);
    }

    @Override
    protected boolean test(AccessRequest request) {
        Optional<ClientCertificate> certificate = request.clientCertificate();
        return certificate.isPresent() && test(certificate.get());
    }

    private boolean test(ClientCertificate certificate) {
        Conditions c = conditions;
        return (c.fingerprints().isEmpty() || c.fingerprints().contains(certificate.fingerprintSha256()))
                && (c.spkiHashes().isEmpty() || c.spkiHashes().contains(certificate.spkiHashSha256()))
                && anyMatches(c.sanEmail(), certificate.sanEmails())
                && anyMatches(c.sanDns(), certificate.sanDns())
                && anyMatches(c.sanUri(), certificate.sanUris());
    }

    private static boolean anyMatches(StringMatcher matcher, List<String> names) {
        if (matcher == null) {
            return true;
        }
        for (int i = 0, n = names.size(); i < n; i++) {
            if (matcher.matches(names.get(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected String actual(AccessRequest request) {
        return request.clientCertificate()
                .map(cert -> "your certificate has fingerprint " + cert.fingerprintSha256())
                .orElse("you presented no client certificate");
    }

    private static String describe(Conditions c) {
        List<String> parts = new ArrayList<>();
        if (!c.fingerprints().isEmpty()) {
            parts.add("fingerprint in " + c.fingerprints().stream().sorted().toList());
        }
        if (!c.spkiHashes().isEmpty()) {
            parts.add("spki_hash in " + c.spkiHashes().stream().sorted().toList());
        }
        if (c.sanEmail() != null) {
            parts.add("san_email " + c.sanEmail().describe());
        }
        if (c.sanDns() != null) {
            parts.add("san_dns " + c.sanDns().describe());
        }
        if (c.sanUri() != null) {
            parts.add("san_uri " + c.sanUri().describe());
        }
        return String.join(" and ", parts);
    }
}
