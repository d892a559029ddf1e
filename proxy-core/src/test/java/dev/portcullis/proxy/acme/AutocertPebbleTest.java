package dev.portcullis.proxy.acme;

import dev.portcullis.config.Autocert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.proxy.log.CapturedLog;
import dev.portcullis.proxy.testing.Eventually;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestPebble;
import dev.portcullis.proxy.testing.TestTls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link AutocertService} and {@link CertificateIssuer} against a real Pebble (see {@link TestPebble}). */
@Timeout(60)
class AutocertPebbleTest {
    private static final AutocertService.Timing FAST = new AutocertService.Timing(
            RenewalPolicy.DEFAULT, new Backoff(Duration.ofMillis(200), Duration.ofMillis(800)), Clock.systemUTC());

    @TempDir
    Path temp;

    private final ChallengeResponses responses = new ChallengeResponses();

    @Test
    void obtainsOneCertificatePerNameOverHttp01ThatVerifiesAgainstPebblesRoot() throws Exception {
        try (ChallengeResponders responders = new ChallengeResponders(responses);
                TestPebble pebble = TestPebble.start(responders.httpPort(), responders.tlsPort(), Optional.empty());
                AutocertService service = service(settings(pebble, temp.resolve("autocert")), Set.of(ChallengeType.HTTP_01), FAST, list -> {})) {
            service.update(Set.of("app.example.com", "Auth.Example.com"));

            await(() -> service.certificates().size() == 2, pebble);

            X509Certificate root = pebble.root();
            for (IssuedCertificate issued : service.certificates()) {
                String name = issued.names().iterator().next();
                List<X509Certificate> chain = CertificateStore.certificates(issued.chainPem());
                verify(chain, root);
                assertThat(TestTls.dnsNames(chain.get(0))).containsExactly(name);
                assertThat(issued.notAfter()).isEqualTo(chain.get(0).getNotAfter().toInstant());
                assertThat(issued.toString()).doesNotContain("PRIVATE");
            }
            assertThat(service.certificates()).extracting(c -> c.names().iterator().next())
                    .containsExactly("app.example.com", "auth.example.com");
            assertThat(responders.http01Answers.get()).isGreaterThanOrEqualTo(2);
            assertThat(responders.tlsAlpn01Answers.get()).isZero();
            assertThat(responses.isEmpty()).as("challenge responses removed after validation").isTrue();

            Path dir = temp.resolve("autocert");
            assertThat(permissions(dir)).isEqualTo("rwx------");
            for (String file : List.of("account.key", "app.example.com.crt", "app.example.com.key", "auth.example.com.key")) {
                assertThat(permissions(dir.resolve(file))).as(file).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void prefersTlsAlpn01WhenTheTlsListenerCanAnswerIt() throws Exception {
        try (ChallengeResponders responders = new ChallengeResponders(responses);
                TestPebble pebble = TestPebble.start(responders.httpPort(), responders.tlsPort(), Optional.empty());
                AutocertService service = service(settings(pebble, temp), Set.of(ChallengeType.HTTP_01, ChallengeType.TLS_ALPN_01), FAST, list -> {})) {
            service.update(Set.of("tls.example.com"));

            await(() -> service.certificates().size() == 1, pebble);

            verify(CertificateStore.certificates(service.certificates().get(0).chainPem()), pebble.root());
            assertThat(responders.tlsAlpn01Answers.get()).isGreaterThanOrEqualTo(1);
            assertThat(responders.http01Answers.get()).isZero();
            assertThat(responses.isEmpty()).isTrue();
        }
    }

    @Test
    void renewsAShortLivedCertificateAtTwoThirdsOfItsLifetimeKeepingTheOldOneUntilThen() throws Exception {
        List<List<IssuedCertificate>> published = new CopyOnWriteArrayList<>();
        try (ChallengeResponders responders = new ChallengeResponders(responses);
                TestPebble pebble = TestPebble.start(responders.httpPort(), responders.tlsPort(), Optional.of(Duration.ofSeconds(6)));
                CapturedLog log = new CapturedLog();
                AutocertService service = service(settings(pebble, temp), Set.of(ChallengeType.HTTP_01), FAST, published::add)) {
            service.update(Set.of("short.example.com"));
            await(() -> service.certificates().size() == 1, pebble);
            IssuedCertificate first = service.certificates().get(0);
            assertThat(Duration.between(first.notBefore(), first.notAfter())).isLessThanOrEqualTo(Duration.ofSeconds(7));

            await(() -> !service.certificates().get(0).equals(first), pebble);

            IssuedCertificate second = service.certificates().get(0);
            assertThat(second.notAfter()).isAfter(first.notAfter());
            assertThat(second.chainPem()).isNotEqualTo(first.chainPem());
            assertThat(published).as("never without a certificate once the first was there")
                    .allSatisfy(list -> assertThat(list).hasSize(1));
            assertThat(published.get(0).get(0)).isEqualTo(first);
            assertThat(log.all()).contains("renewed the certificate for short.example.com");
            // the certificate lives 6 s, so the next renewal may be writing its chain and key just now: a read between
            // the two files sees a pair that does not match, and is read again
            Optional<IssuedCertificate> stored = Eventually.within(Duration.ofSeconds(2),
                    () -> new CertificateStore(temp).load(Set.of("short.example.com")), Optional::isPresent);
            assertThat(stored.orElseThrow().chainPem()).as("the renewed certificate is stored")
                    .isNotEqualTo(first.chainPem());
        }
    }

    @Test
    void aRestartWithTheSameDirectoryUsesTheStoredCertificateWithoutOrdering() throws Exception {
        IssuedCertificate issued;
        try (ChallengeResponders responders = new ChallengeResponders(responses);
                TestPebble pebble = TestPebble.start(responders.httpPort(), responders.tlsPort(), Optional.empty());
                AutocertService service = service(settings(pebble, temp), Set.of(ChallengeType.HTTP_01), FAST, list -> {})) {
            service.update(Set.of("restart.example.com"));
            await(() -> service.certificates().size() == 1, pebble);
            issued = service.certificates().get(0);
        }
        // Pebble is gone: ordering now would fail (and log a warning).
        Autocert unreachable = new Autocert(true, temp, URI.create("https://127.0.0.1:1/dir"), Optional.empty(),
                false, Optional.empty(), Optional.empty());
        try (CapturedLog log = new CapturedLog();
                AutocertService restarted = service(unreachable, Set.of(ChallengeType.HTTP_01), FAST, list -> {})) {
            restarted.update(Set.of("restart.example.com"));
            await(() -> restarted.certificates().size() == 1, null);
            Thread.sleep(500); // room for an (unwanted) order attempt to fail and be logged

            assertThat(restarted.certificates()).containsExactly(issued);
            assertThat(log.all()).contains("using the stored certificate for restart.example.com")
                    .doesNotContain("could not").doesNotContain("obtained");
        }
    }

    @Test
    void anUnansweredChallengeIsRetriedWithBackoffAndLoggedNeverThrown() throws Exception {
        int nobodyListens = TestIdentityProvider.freePort();
        try (ChallengeResponders responders = new ChallengeResponders(responses);
                TestPebble pebble = TestPebble.start(nobodyListens, responders.tlsPort(), Optional.empty());
                CapturedLog log = new CapturedLog();
                AutocertService service = service(settings(pebble, temp), Set.of(ChallengeType.HTTP_01), FAST, list -> {})) {
            long start = System.nanoTime();
            service.update(Set.of("unanswered.example.com"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("update returns at once").isLessThan(Duration.ofMillis(100));

            await(() -> log.all().contains("(attempt 3)"), pebble);

            assertThat(service.certificates()).isEmpty();
            assertThat(log.all())
                    .contains("could not obtain the certificate for unanswered.example.com (attempt 1)")
                    .contains("http-01 validation of unanswered.example.com failed")
                    .contains("trying again in 0.2 s").contains("trying again in 0.4 s").contains("trying again in 0.8 s")
                    .contains("\"level\":\"WARN\"")
                    .doesNotContain("PRIVATE KEY");
            assertThat(responses.isEmpty()).isTrue();
        }
    }

    @Test
    void theAcmeServersOwnCertificateIsTrustedOnlyWhenItsCaIsConfigured() throws Exception {
        try (ChallengeResponders responders = new ChallengeResponders(responses);
                TestPebble pebble = TestPebble.start(responders.httpPort(), responders.tlsPort(), Optional.empty())) {
            Autocert untrusted = new Autocert(true, temp, pebble.directory(), Optional.empty(), false,
                    Optional.empty(), Optional.empty());
            CertificateStore store = new CertificateStore(temp);
            CertificateIssuer withoutCa = new CertificateIssuer(untrusted, store, responses, Set.of(ChallengeType.HTTP_01), Duration.ofSeconds(20));
            assertThatThrownBy(() -> withoutCa.issue(Set.of("ca.example.com")))
                    .isInstanceOf(AcmeFailure.class)
                    .hasMessageContaining("cannot reach the ACME server " + pebble.directory())
                    .hasMessageContaining("its HTTPS certificate is not trusted")
                    .hasMessageContaining("autocert_trusted_ca");

            CertificateIssuer withCa = new CertificateIssuer(settings(pebble, temp), store, responses, Set.of(ChallengeType.HTTP_01), Duration.ofSeconds(20));
            IssuedCertificate issued = withCa.issue(Set.of("ca.example.com"));
            verify(CertificateStore.certificates(issued.chainPem()), pebble.root());
        }
    }

    @Test
    void bindsTheAccountToTheExternalAccountWhenTheServerRequiresIt() throws Exception {
        String macKey = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W";
        try (ChallengeResponders responders = new ChallengeResponders(responses);
                TestPebble pebble = TestPebble.start(responders.httpPort(), responders.tlsPort(), Optional.empty(),
                        java.util.Map.of("kid-1", macKey))) {
            Autocert unbound = settings(pebble, temp.resolve("unbound"));
            assertThatThrownBy(() -> new CertificateIssuer(unbound, new CertificateStore(unbound.dir()), responses,
                    Set.of(ChallengeType.HTTP_01), Duration.ofSeconds(20)).issue(Set.of("eab.example.com")))
                    .isInstanceOf(AcmeFailure.class)
                    .hasMessageContaining("refused")
                    .hasMessageContaining("externalAccountBinding");

            Autocert bound = new Autocert(true, temp.resolve("bound"), pebble.directory(), Optional.empty(), false,
                    Optional.of(new Autocert.ExternalAccountBinding("kid-1", java.util.Base64.getUrlDecoder().decode(macKey))), Optional.of(pebble.httpsCertificatePem()));
            IssuedCertificate issued = new CertificateIssuer(bound, new CertificateStore(bound.dir()), responses,
                    Set.of(ChallengeType.HTTP_01), Duration.ofSeconds(20)).issue(Set.of("eab.example.com"));
            verify(CertificateStore.certificates(issued.chainPem()), pebble.root());
            assertThat(bound.eab().orElseThrow().toString()).doesNotContain(macKey);
        }
    }

    private static Autocert settings(TestPebble pebble, Path dir) {
        return new Autocert(true, dir, pebble.directory(), Optional.of("admin@example.com"), false,
                Optional.empty(), Optional.of(pebble.httpsCertificatePem()));
    }

    private AutocertService service(Autocert settings, Set<ChallengeType> types, AutocertService.Timing timing,
            Consumer<List<IssuedCertificate>> listener) throws Exception {
        CertificateStore store = new CertificateStore(settings.dir());
        return new AutocertService(store, new CertificateIssuer(settings, store, responses, types, Duration.ofSeconds(20)),
                timing, listener);
    }

    private static void verify(List<X509Certificate> chain, X509Certificate root) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static void await(BooleanSupplier condition, TestPebble pebble) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s" + (pebble == null ? "" : "; Pebble says:\n" + pebble.logs()));
            }
            Thread.sleep(20);
        }
    }
}
