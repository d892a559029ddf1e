package dev.portcullis.proxy.tls;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.DownstreamMtls.SanMatcher;
import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.policy.ClientCertificate;
import dev.portcullis.proxy.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Judges the certificate a client presented against {@code downstream_mtls}: the chain must lead to a configured
 * CA ({@link ClientChainValidator}: anchors, depth, validity, revocation lists), and for each
 * {@code match_subject_alt_names} entry one subject alternative name of its type must match. Whatever the
 * verdict, the facts of a presented certificate (fingerprint, public key hash, names) are kept for the policy.
 * In memory only, thread-safe, cheap enough for an event loop.
 */
public final class ClientCertificateVerifier {
    private final ClientChainValidator chains;
    private final List<SanMatcher> matchers;
    private final DownstreamMtls.Enforcement enforcement;

    private ClientCertificateVerifier(ClientChainValidator chains, List<SanMatcher> matchers,
            DownstreamMtls.Enforcement enforcement) {
        this.chains = chains;
        this.matchers = List.copyOf(matchers);
        this.enforcement = enforcement;
    }

    /**
     * A verifier for {@code mtls}, judging validity periods by {@code clock}.
     *
     * @throws GeneralSecurityException when the CA bundle or the revocation lists cannot be read
     */
    public static ClientCertificateVerifier of(DownstreamMtls mtls, Clock clock) throws GeneralSecurityException {
        requireNonNull(mtls, "mtls");
        String caPem = mtls.caPem().orElseThrow(() -> new GeneralSecurityException("downstream_mtls: no CA certificate"));
        List<X509Certificate> authorities;
        try {
            authorities = PemMaterial.certificates(caPem);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("downstream_mtls.ca: " + e.getMessage(), e);
        }
        List<X509CRL> crls = mtls.crlPem().isPresent() ? crls(mtls.crlPem().get()) : List.of();
        return new ClientCertificateVerifier(new ClientChainValidator(authorities, crls, mtls.maxVerifyDepth(), clock),
                mtls.matchSubjectAltNames(), mtls.enforcement());
    }

    private static List<X509CRL> crls(String pem) throws GeneralSecurityException {
        try {
            return CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509CRL.class::cast).toList();
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("downstream_mtls.crl: " + e.getMessage(), e);
        }
    }

    /** Whether a client without a valid certificate fails the TLS handshake ({@code reject_connection}). */
    public boolean rejectsConnection() {
        return enforcement == DownstreamMtls.Enforcement.REJECT_CONNECTION;
    }

    /** The configured CA certificates, advertised in the handshake's certificate request. */
    public List<X509Certificate> authorities() {
        return chains.authorities();
    }

    /** The verdict on {@code chain} (client certificate first); an empty or missing chain is {@link ClientCertificateVerdict#MISSING}. */
    public ClientCertificateVerdict verify(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return ClientCertificateVerdict.MISSING;
        }
        Optional<ClientCertificate> facts = Optional.of(facts(chain[0]));
        Optional<String> failure = chains.check(chain).or(() -> unmatchedName(chain[0]));
        return new ClientCertificateVerdict(facts, failure.isEmpty(), failure.orElse(""));
    }

    private Optional<String> unmatchedName(X509Certificate certificate) {
        if (matchers.isEmpty()) {
            return Optional.empty();
        }
        SubjectAltNames names = SubjectAltNames.of(certificate);
        for (SanMatcher matcher : matchers) {
            if (names.ofType(matcher.type()).stream().noneMatch(matcher::matches)) {
                return Optional.of("no " + matcher.type().configName() + " subject alternative name matches "
                        + matcher.pattern().pattern() + " (downstream_mtls.match_subject_alt_names)");
            }
        }
        return Optional.empty();
    }

    /** What a policy may test: SHA-256 of the DER (hex), base64 SHA-256 of the SubjectPublicKeyInfo, and the SANs. */
    static ClientCertificate facts(X509Certificate certificate) {
        SubjectAltNames names = SubjectAltNames.of(certificate);
        String fingerprint;
        try {
            fingerprint = HexFormat.of().formatHex(Sha256.of(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            fingerprint = "";
        }
        String spki = Base64.getEncoder().encodeToString(Sha256.of(certificate.getPublicKey().getEncoded()));
        return new ClientCertificate(fingerprint, spki, names.emails(), names.dnsNames(), names.uris());
    }
}
