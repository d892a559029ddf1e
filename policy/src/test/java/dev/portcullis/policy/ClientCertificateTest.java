package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code client_certificate} and {@code invalid_client_certificate}, and the 495 outcome. */
class ClientCertificateTest {

    private static final String FINGERPRINT = "17859273e8a980631d367b2d5a6a6635412b0f22835f69e47b3f65624546a704";
    private static final String LONG_FINGERPRINT =
            "17:85:92:73:E8:A9:80:63:1D:36:7B:2D:5A:6A:66:35:41:2B:0F:22:83:5F:69:E4:7B:3F:65:62:45:46:A7:04";
    private static final String SPKI = "FsDbM0rUYIiL3V339eIKqiz6HPSB+Pz2WeAWhqlqh8U=";
    private static final ClientCertificate CERT = new ClientCertificate(LONG_FINGERPRINT, SPKI,
            List.of("alice@example.com"), List.of("laptop.example.com"), List.of("spiffe://example.com/alice"));

    static Stream<Arguments> matchers() {
        return Stream.of(
                arguments("{fingerprint: " + FINGERPRINT + "}", true),
                arguments("{fingerprint: \"" + LONG_FINGERPRINT + "\"}", true),
                arguments("{fingerprint: [" + FINGERPRINT.replace('1', '0') + ", " + FINGERPRINT + "]}", true),
                arguments("{fingerprint: " + FINGERPRINT.replace('1', '0') + "}", false),
                arguments("{spki_hash: \"" + SPKI + "\"}", true),
                arguments("{spki_hash: [\"" + SPKI.replace('F', 'G') + "\"]}", false),
                arguments("{san_email: {ends_with: \"@example.com\"}}", true),
                arguments("{san_email: alice@example.org}", false),
                arguments("{san_dns: laptop.example.com}", true),
                arguments("{san_dns: {starts_with: phone.}}", false),
                arguments("{san_uri: {starts_with: \"spiffe://example.com/\"}}", true),
                arguments("{san_uri: spiffe://example.com/bob}", false),
                arguments("{fingerprint: " + FINGERPRINT + ", san_email: alice@example.com}", true),
                arguments("{fingerprint: " + FINGERPRINT + ", san_email: bob@example.com}", false));
    }

    @ParameterizedTest(name = "client_certificate {0}: {1}")
    @MethodSource("matchers")
    void certificateMatcher(String matcher, boolean allowed) {
        Decision decision = Policies.decide("{allow: {and: [{client_certificate: " + matcher + "}]}}",
                anonymous().certificate(CERT));

        assertThat(decision.allowed()).isEqualTo(allowed);
        assertThat(decision.reasons())
                .containsExactly(allowed ? "client-certificate-ok" : "client-certificate-unauthorized");
        assertThat(decision.outcome()).isEqualTo(allowed ? Outcome.ALLOW : Outcome.FORBIDDEN);
    }

    @Test
    void noCertificateWhereOneIsRequiredIs495() {
        Decision decision = Policies.decide("{allow: {and: [{authenticated_user: true},"
                + " {client_certificate: {fingerprint: " + FINGERPRINT + "}}]}}", as("alice@example.com"));

        assertThat(decision.outcome()).isEqualTo(Outcome.CLIENT_CERTIFICATE_REQUIRED);
        assertThat(decision.reasons()).containsExactly("client-certificate-required");
        assertThat(decision.explanation()).endsWith("you presented no client certificate");
    }

    @Test
    void anonymousWithoutCertificateSignsInFirst() {
        Decision decision = Policies.decide("{allow: {and: [{authenticated_user: true},"
                + " {client_certificate: {fingerprint: " + FINGERPRINT + "}}]}}", anonymous());

        assertThat(decision.outcome()).isEqualTo(Outcome.SIGN_IN);
        assertThat(decision.reasons()).containsExactly("client-certificate-required", "user-unauthenticated");
    }

    static Stream<Arguments> invalidCertificates() {
        return Stream.of(
                // certificate, invalid, outcome, reasons
                arguments(null, true, Outcome.CLIENT_CERTIFICATE_REQUIRED, "client-certificate-required"),
                arguments(CERT, true, Outcome.CLIENT_CERTIFICATE_REQUIRED, "invalid-client-certificate"),
                arguments(CERT, false, Outcome.ALLOW, "email-ok"),
                arguments(null, false, Outcome.ALLOW, "email-ok"));
    }

    @ParameterizedTest(name = "certificate {0}, invalid {1}: {2}")
    @MethodSource("invalidCertificates")
    void denyOnInvalidClientCertificate(ClientCertificate certificate, boolean invalid, Outcome outcome, String reason) {
        Requests request = as("alice@example.com").certificate(certificate);
        if (invalid) {
            request.invalidCertificate();
        }
        Decision decision = Policies.decide("{allow: {or: [{email: alice@example.com}]},"
                + " deny: {or: [{invalid_client_certificate: true}]}}", request);

        assertThat(decision.outcome()).isEqualTo(outcome);
        assertThat(decision.reasons()).containsExactly(reason);
    }

    @Test
    void aMissingCertificateIs495EvenBeforeSignIn() {
        // as Pomerium: a certificate problem is answered at once, without a trip to the sign-in page
        Decision decision = Policies.decide("{allow: {or: [{email: alice@example.com}]},"
                + " deny: {or: [{invalid_client_certificate: true}]}}", anonymous().invalidCertificate());

        assertThat(decision.outcome()).isEqualTo(Outcome.CLIENT_CERTIFICATE_REQUIRED);
        assertThat(decision.explanation()).isEqualTo(
                "client certificate required: routes[0].policy.deny.or[0] matched (invalid_client_certificate)");
    }

    @Test
    void fingerprintsAreComparedInOneForm() {
        ClientCertificate upper = new ClientCertificate(FINGERPRINT.toUpperCase(), "", null, null, null);

        assertThat(upper.fingerprintSha256()).isEqualTo(FINGERPRINT);
        assertThat(upper.sanEmails()).isEmpty();
    }
}
