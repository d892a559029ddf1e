package dev.portcullis.authn.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AssertionSignerTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.750Z");
    private static final long NOW_SECONDS = NOW.getEpochSecond();

    private static SigningKey es256;
    private static SigningKey rs256;

    @BeforeAll
    static void keys() {
        es256 = SigningKey.fromPem(TestPem.sec1(TestPem.ec("secp256r1"), true));
        rs256 = SigningKey.fromPem(TestPem.pkcs8(TestPem.rsa(2048).getPrivate()));
    }

    @Test
    void es256AssertionVerifiesWithThePublishedKeySetAndCarriesEveryClaim() throws Exception {
        AssertionSubject subject = new AssertionSubject("sess-1", "user-1", "alice@example.com", "Alice Liddell",
                List.of("admins", "family"), NOW.plusSeconds(14 * 3600));

        String token = new AssertionSigner(es256).assertionFor(subject, "app.example.com", NOW);
        Jose4jVerifier.Verified seen = Jose4jVerifier.verify(token, new KeySetDocuments(es256).jwksJson(), "ES256", "app.example.com", NOW);

        assertThat(seen.header()).containsOnly(Map.entry("alg", "ES256"), Map.entry("kid", es256.kid()), Map.entry("typ", "JWT"));
        assertThat(seen.claims()).containsOnlyKeys("iss", "aud", "sub", "user", "email", "groups", "name", "sid", "jti", "iat", "exp");
        assertThat(seen.claims()).containsEntry("iss", "app.example.com")
                .containsEntry("aud", "app.example.com")
                .containsEntry("sub", "user-1")
                .containsEntry("user", "user-1")
                .containsEntry("email", "alice@example.com")
                .containsEntry("name", "Alice Liddell")
                .containsEntry("groups", List.of("admins", "family"))
                .containsEntry("sid", "sess-1")
                .containsEntry("iat", NOW_SECONDS)
                .containsEntry("exp", NOW_SECONDS + 300);
        assertThat(seen.claims().get("jti")).isInstanceOf(String.class).asString().hasSizeGreaterThanOrEqualTo(22);
    }

    @Test
    void rs256AssertionVerifiesWithThePublishedKeySet() throws Exception {
        AssertionSubject subject = new AssertionSubject("sess-2", "user-2", "bob@example.com", "Bob", List.of("x"), NOW.plusSeconds(3600));

        String token = new AssertionSigner(rs256).assertionFor(subject, "wiki.example.com", NOW);
        Jose4jVerifier.Verified seen = Jose4jVerifier.verify(token, new KeySetDocuments(rs256).jwksJson(), "RS256", "wiki.example.com", NOW);

        assertThat(seen.header()).containsOnly(Map.entry("alg", "RS256"), Map.entry("kid", rs256.kid()), Map.entry("typ", "JWT"));
        assertThat(seen.claims()).containsEntry("sub", "user-2").containsEntry("groups", List.of("x"));
    }

    @Test
    void noGroupsIsAnEmptyArrayAndMissingEmailAndNameAreEmptyStringsAsPomeriumSendsThem() throws Exception {
        AssertionSubject subject = new AssertionSubject("sess-3", "user-3", null, null, List.of(), NOW.plusSeconds(3600));

        String token = new AssertionSigner(es256).assertionFor(subject, "app.example.com", NOW);
        Jose4jVerifier.Verified seen = Jose4jVerifier.verify(token, new KeySetDocuments(es256).jwksJson(), "ES256", "app.example.com", NOW);

        assertThat(seen.claims().get("groups")).isInstanceOf(List.class).isEqualTo(List.of());
        assertThat(seen.claims()).containsEntry("email", "").containsEntry("name", "");
    }

    @Test
    void issuerFollowsJwtIssuerFormatAndAudienceIsTheHostName() throws Exception {
        AssertionSubject subject = new AssertionSubject("sess-9", "user-9", "i@example.com", "I", List.of(), NOW.plusSeconds(3600));
        AssertionSigner signer = new AssertionSigner(es256);

        String uri = signer.assertionFor(subject, "app.example.com", dev.portcullis.config.route.JwtIssuerFormat.URI, NOW);
        String hostOnly = signer.assertionFor(subject, "app.example.com", dev.portcullis.config.route.JwtIssuerFormat.HOST_ONLY, NOW);

        assertThat(com.nimbusds.jwt.SignedJWT.parse(uri).getJWTClaimsSet().getIssuer()).isEqualTo("https://app.example.com/");
        assertThat(com.nimbusds.jwt.SignedJWT.parse(uri).getJWTClaimsSet().getAudience()).containsExactly("app.example.com");
        assertThat(com.nimbusds.jwt.SignedJWT.parse(hostOnly).getJWTClaimsSet().getIssuer()).isEqualTo("app.example.com");
    }

    @Test
    void claimsNamedInJwtClaimsHeadersAreInTheAssertionAsPomeriumJoinsThem() throws Exception {
        dev.portcullis.authn.session.Session session = new dev.portcullis.authn.session.Session("sess-10", "user-10",
                "j@example.com", null, List.of("g1"), java.util.Map.of("department", "ops", "roles", List.of("a", "b"),
                        "level", 3, "nested", java.util.Map.of("x", 1)),
                NOW, NOW.plusSeconds(3600), java.util.Optional.empty(), java.util.Optional.empty());
        AssertionSubject subject = AssertionSubject.of(session, List.of("email", "department", "roles", "level", "nested", "absent"));

        String token = new AssertionSigner(es256).assertionFor(subject, "app.example.com", NOW);
        Jose4jVerifier.Verified seen = Jose4jVerifier.verify(token, new KeySetDocuments(es256).jwksJson(), "ES256", "app.example.com", NOW);

        assertThat(seen.claims()).containsEntry("department", "ops").containsEntry("roles", "a,b")
                .containsEntry("level", "3").containsEntry("nested", "").containsEntry("email", "j@example.com")
                .containsEntry("name", "").doesNotContainKey("absent");
        assertThat(subject.claimHeaderValue("roles")).isEqualTo("a,b");
        assertThat(subject.claimHeaderValue("absent")).isEmpty();
        assertThat(subject.claimHeaderValue("groups")).isEqualTo("g1");
    }

    @Test
    void anonymousAssertionHasEmptyIdentityAsPomeriumSendsOnAPublicRoute() throws Exception {
        String token = new AssertionSigner(es256).assertionFor(AssertionSubject.anonymous(), "public.example.com", NOW);
        Jose4jVerifier.Verified seen = Jose4jVerifier.verify(token, new KeySetDocuments(es256).jwksJson(), "ES256", "public.example.com", NOW);

        assertThat(seen.claims()).containsEntry("sub", "").containsEntry("user", "").containsEntry("email", "")
                .containsEntry("name", "").containsEntry("sid", "").containsEntry("groups", List.of())
                .containsEntry("exp", NOW.plus(AssertionSigner.MAX_LIFETIME).getEpochSecond());
    }

    @Test
    void neverOutlivesTheSession() throws Exception {
        Instant sessionEnd = NOW.plusSeconds(90).plusMillis(900);
        AssertionSubject subject = new AssertionSubject("sess-4", "user-4", "c@example.com", "C", List.of(), sessionEnd);

        String token = new AssertionSigner(es256).assertionFor(subject, "app.example.com", NOW);
        Jose4jVerifier.Verified seen = Jose4jVerifier.verify(token, new KeySetDocuments(es256).jwksJson(), "ES256", "app.example.com", NOW);

        long exp = (Long) seen.claims().get("exp");
        // 12:01:31.650 in whole seconds: 12:01:31, never rounded up past the session.
        assertThat(exp).isEqualTo(NOW_SECONDS + 91).isLessThanOrEqualTo(sessionEnd.getEpochSecond());
        assertThat(exp - (Long) seen.claims().get("iat")).isLessThanOrEqualTo(300);
    }

    @Test
    void anEndedSessionGetsNoAssertion() {
        AssertionSubject subject = new AssertionSubject("sess-5", "user-5", null, null, List.of(), NOW.minusSeconds(1));

        assertThatThrownBy(() -> new AssertionSigner(es256).assertionFor(subject, "app.example.com", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sessionExpiresAt")
                .hasMessageContaining("ended session");
    }

    @Test
    void tokenIsRejectedAfterItsExpiry() {
        AssertionSubject subject = new AssertionSubject("sess-6", "user-6", null, null, List.of(), NOW.plusSeconds(3600));

        String token = new AssertionSigner(es256).assertionFor(subject, "app.example.com", NOW);

        assertThatThrownBy(() -> Jose4jVerifier.verify(token, new KeySetDocuments(es256).jwksJson(), "ES256", "app.example.com",
                NOW.plusSeconds(301))).hasMessageContaining("Expiration");
    }

    @Test
    void aTokenSignedByAnotherKeyIsNotVerified() {
        AssertionSubject subject = new AssertionSubject("sess-7", "user-7", null, null, List.of(), NOW.plusSeconds(3600));
        SigningKey other = SigningKey.fromPem(TestPem.sec1(TestPem.ec("secp256r1"), true));

        String token = new AssertionSigner(other).assertionFor(subject, "app.example.com", NOW);

        assertThatThrownBy(() -> Jose4jVerifier.verify(token, new KeySetDocuments(es256).jwksJson(), "ES256", "app.example.com", NOW))
                .isNotNull();
    }

    @Test
    void argumentsAreChecked() {
        AssertionSigner signer = new AssertionSigner(es256);
        AssertionSubject subject = new AssertionSubject("s", "u", null, null, List.of(), NOW.plusSeconds(60));

        assertThatThrownBy(() -> signer.assertionFor(subject, " ", NOW)).hasMessageContaining("routeHost");
        assertThatThrownBy(() -> new AssertionSubject("s", "u", null, null, null, NOW)).hasMessage("groups");
        assertThatThrownBy(() -> new AssertionSigner(es256, 0)).hasMessage("cacheCapacity: 0 (expected: >= 1)");
    }
}
