package dev.portcullis.proxy.tls;

import static dev.portcullis.proxy.testing.TestPki.dns;
import static dev.portcullis.proxy.testing.TestPki.email;
import static dev.portcullis.proxy.testing.TestPki.userPrincipalName;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.config.DownstreamMtls.Enforcement;
import dev.portcullis.config.DownstreamMtls.SanMatcher;
import dev.portcullis.config.DownstreamMtls.SanType;
import dev.portcullis.policy.ClientCertificate;
import dev.portcullis.proxy.testing.TestPki;
import dev.portcullis.proxy.testing.TestPki.Issued;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The verdict on client certificate chains: anchors, depth, validity, revocation, subject alternative names, facts. */
class ClientCertificateVerifierTest {
    static final Issued ROOT = TestPki.ca("Devices CA");
    static final Issued INTERMEDIATE = TestPki.intermediate(ROOT, "Devices Intermediate");
    static final Issued OTHER = TestPki.ca("Other CA");
    static final Issued ALICE = TestPki.client(ROOT, "alice", email("alice@example.com"), dns("alice.devices.example.test"),
            userPrincipalName("alice@corp.example"));
    static final Issued DEEP = TestPki.client(INTERMEDIATE, "deep", email("deep@example.com"));
    static final Issued STRANGER = TestPki.client(OTHER, "mallory", email("mallory@example.com"));
    static final Issued EXPIRED = TestPki.client(ROOT, "old", Instant.now().minus(Duration.ofDays(30)),
            Instant.now().minus(Duration.ofDays(1)), email("old@example.com"));
    static final Issued REVOKED = TestPki.client(ROOT, "lost", email("lost@example.com"));

    @Test
    void aCertificateIssuedByTheCaIsValidAndItsFactsAreKept() throws Exception {
        ClientCertificateVerdict verdict = verifier(mtls(TestPki.pem(ROOT.certificate()), 1)).verify(chain(ALICE));

        assertThat(verdict.valid()).as(verdict.reason()).isTrue();
        ClientCertificate facts = verdict.presented().orElseThrow();
        assertThat(facts.fingerprintSha256()).isEqualTo(ALICE.fingerprint());
        assertThat(facts.spkiHashSha256()).isEqualTo(Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(ALICE.certificate().getPublicKey().getEncoded())));
        assertThat(facts.sanEmails()).containsExactly("alice@example.com");
        assertThat(facts.sanDns()).containsExactly("alice.devices.example.test");
        assertThat(SubjectAltNames.of(ALICE.certificate()).userPrincipalNames()).containsExactly("alice@corp.example");
    }

    @Test
    void aCertificateOfAnotherCaIsInvalidButItsFactsAreKept() throws Exception {
        ClientCertificateVerdict verdict = verifier(mtls(TestPki.pem(ROOT.certificate()), 1)).verify(chain(STRANGER));

        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.reason()).contains("does not lead to a configured CA");
        assertThat(verdict.presented().orElseThrow().fingerprintSha256()).isEqualTo(STRANGER.fingerprint());
    }

    @Test
    void noCertificateIsMissing() throws Exception {
        ClientCertificateVerifier verifier = verifier(mtls(TestPki.pem(ROOT.certificate()), 1));
        assertThat(verifier.verify(new X509Certificate[0])).isEqualTo(ClientCertificateVerdict.MISSING);
        assertThat(verifier.verify(null)).isEqualTo(ClientCertificateVerdict.MISSING);
    }

    @Test
    void anExpiredCertificateIsInvalid() throws Exception {
        ClientCertificateVerdict verdict = verifier(mtls(TestPki.pem(ROOT.certificate()), 1)).verify(chain(EXPIRED));
        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.reason()).contains("expired");
    }

    @Test
    void aCertificateIsJudgedAtTheClocksTime() throws Exception {
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(60)), java.time.ZoneOffset.UTC);
        ClientCertificateVerdict verdict = ClientCertificateVerifier.of(mtls(TestPki.pem(ROOT.certificate()), 1), later)
                .verify(chain(ALICE));
        assertThat(verdict.valid()).isFalse();
    }

    @Test
    void aRevokedCertificateIsInvalidWhileOthersOfTheSameCaPass() throws Exception {
        DownstreamMtls withCrl = new DownstreamMtls(Optional.of(TestPki.pem(ROOT.certificate())),
                Optional.of(TestPki.crl(ROOT, REVOKED)), Enforcement.POLICY, List.of(), 1);
        ClientCertificateVerifier verifier = verifier(withCrl);

        ClientCertificateVerdict revoked = verifier.verify(chain(REVOKED));
        assertThat(revoked.valid()).isFalse();
        assertThat(revoked.reason()).contains("revoked");
        assertThat(verifier.verify(chain(ALICE)).valid()).isTrue();
    }

    @Test
    void withRevocationListsACertificateWhoseIssuerHasNoListIsInvalid() throws Exception {
        DownstreamMtls withCrl = new DownstreamMtls(Optional.of(TestPki.pem(ROOT.certificate(), OTHER.certificate())),
                Optional.of(TestPki.crl(ROOT)), Enforcement.POLICY, List.of(), 1);
        ClientCertificateVerdict verdict = verifier(withCrl).verify(chain(STRANGER));
        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.reason()).contains("revocation");
    }

    @Test
    void maxVerifyDepthCountsTheCertificatesBelowTheAnchor() throws Exception {
        String rootOnly = TestPki.pem(ROOT.certificate());
        assertThat(DEEP.chain()).hasSize(2);

        ClientCertificateVerdict tooDeep = verifier(mtls(rootOnly, 1)).verify(chain(DEEP));
        assertThat(tooDeep.valid()).isFalse();
        assertThat(tooDeep.reason()).contains("2 certificates").contains("max_verify_depth");
        assertThat(verifier(mtls(rootOnly, 2)).verify(chain(DEEP)).valid()).isTrue();
        assertThat(verifier(mtls(rootOnly, 0)).verify(chain(DEEP)).valid()).isTrue();
    }

    @Test
    void anIntermediateInTheBundleIsAnAnchorOfItsOwn() throws Exception {
        // Trusted directly, the intermediate makes the client certificate one step from an anchor.
        String intermediateOnly = TestPki.pem(INTERMEDIATE.certificate());
        assertThat(verifier(mtls(intermediateOnly, 1)).verify(chain(DEEP)).valid()).isTrue();
        // The chain is cut at the first certificate that is in the bundle, even when the root is there too.
        String both = TestPki.pem(ROOT.certificate(), INTERMEDIATE.certificate());
        assertThat(verifier(mtls(both, 1)).verify(chain(DEEP)).valid()).isTrue();
        // The client certificate alone is enough when its issuer is in the bundle.
        assertThat(verifier(mtls(intermediateOnly, 1)).verify(new X509Certificate[] {DEEP.certificate()}).valid()).isTrue();
    }

    @Test
    void eachSubjectAltNameMatcherMustMatchOneNameOfItsType() throws Exception {
        String ca = TestPki.pem(ROOT.certificate());
        DownstreamMtls emails = withMatchers(ca, new SanMatcher(SanType.EMAIL, Pattern.compile(".*@example\\.com")));
        assertThat(verifier(emails).verify(chain(ALICE)).valid()).isTrue();

        DownstreamMtls strict = withMatchers(ca, new SanMatcher(SanType.EMAIL, Pattern.compile(".*@example\\.com")),
                new SanMatcher(SanType.DNS, Pattern.compile("[a-z]+\\.servers\\.example\\.test")));
        ClientCertificateVerdict verdict = verifier(strict).verify(chain(ALICE));
        assertThat(verdict.valid()).isFalse();
        assertThat(verdict.reason()).contains("dns").contains("match_subject_alt_names");
        // A partial match is not a match.
        DownstreamMtls partial = withMatchers(ca, new SanMatcher(SanType.EMAIL, Pattern.compile("alice@example")));
        assertThat(verifier(partial).verify(chain(ALICE)).valid()).isFalse();

        DownstreamMtls upn = withMatchers(ca, new SanMatcher(SanType.USER_PRINCIPAL_NAME, Pattern.compile(".*@corp\\.example")));
        assertThat(verifier(upn).verify(chain(ALICE)).valid()).isTrue();
        assertThat(verifier(upn).verify(chain(REVOKED)).valid()).isFalse();
    }

    private static DownstreamMtls mtls(String caPem, int depth) {
        return new DownstreamMtls(Optional.of(caPem), Optional.empty(), Enforcement.POLICY_WITH_DEFAULT_DENY, List.of(), depth);
    }

    private static DownstreamMtls withMatchers(String caPem, SanMatcher... matchers) {
        return new DownstreamMtls(Optional.of(caPem), Optional.empty(), Enforcement.POLICY, List.of(matchers), 1);
    }

    private static ClientCertificateVerifier verifier(DownstreamMtls mtls) throws Exception {
        return ClientCertificateVerifier.of(mtls, Clock.systemUTC());
    }

    private static X509Certificate[] chain(Issued issued) {
        return issued.chain().toArray(X509Certificate[]::new);
    }
}
