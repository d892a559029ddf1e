package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestFlaskUpstream;
import dev.portcullis.proxy.testing.TestFlaskUpstream.Seen;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No header the proxy owns reaches a WSGI application in any spelling. gunicorn hands
 * {@code X_Pomerium_Claim_Email} to Flask as {@code X-Pomerium-Claim-Email} (both become
 * {@code HTTP_X_POMERIUM_CLAIM_EMAIL}) and joins repeated headers with commas, so a spelling that
 * slipped past the trust boundary would show in {@code request.headers} next to, or instead of, the
 * proxy's value. Covered: underscore spellings of {@code X-Pomerium-*}, a forged assertion, the
 * forward-auth identity headers ({@code Remote-*}, {@code X-Auth-Request-*}), a claim header mapped
 * to a name of the operator's choosing ({@code jwt_claims_headers: {X-Email: email}}) and the
 * forwarding headers; the one assertion Flask sees is signed with the proxy's published key.
 */
class OwnedHeadersAtFlaskTest {
    private static final String FORGED = "forged-by-client";
    private static final List<String> SPOOFS = List.of(
            "X_Pomerium_Claim_Email", "X-Pomerium-Claim-Email", "x_pomerium_claim_email",
            "X-Pomerium-Jwt-Assertion", "X_Pomerium_Jwt_Assertion", "x-pomerium_jwt-assertion",
            "X-Pomerium-Authorization", "X_Pomerium_Authorization",
            "Remote-User", "Remote_User", "Remote-Email", "REMOTE_EMAIL", "Remote-Groups", "Remote_Name",
            "X-Auth-Request-Email", "X_Auth_Request_Email", "X-Auth-Request-User", "x_auth_request_groups",
            "X-Email", "X_Email", "x_EMAIL",
            "X-Forwarded-For", "X_Forwarded_For", "X_Forwarded_Host", "x_forwarded_proto", "X-Real-Ip", "X_Real_Ip",
            "Forwarded", "X_Original_Url", "X-Request-Id", "X_Request_Id");

    private static TestFlaskUpstream flask;
    private static RunningProxy proxy;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        flask = TestFlaskUpstream.start();
        proxy = RunningProxy.start("""
                jwt_claims_headers:
                  X-Email: email
                routes:
                  - from: http://flask.example
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(flask.url()));
        // A signed-in session, sealed with the proxy's cookie secret as a sign-in would seal it.
        Instant now = Instant.now();
        Session alice = new Session("c2Vzc2lvbi1pZC1mbGFzaw", "alice", "alice@example.com", "Alice",
                List.of("family"), Map.of(), now, now.plus(Duration.ofHours(1)), Optional.empty(), Optional.empty());
        token = new SessionSealer(Base64.getDecoder().decode(RunningProxy.SECRET)).seal(alice, Purpose.ROUTE_SESSION);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (flask != null) flask.close();
    }

    private static Seen sendWithSpoofs(String credentials) throws Exception {
        StringBuilder request = new StringBuilder("GET /headers HTTP/1.1\r\nHost: flask.example\r\n");
        SPOOFS.forEach(name -> request.append(name).append(": ").append(FORGED).append("\r\n"));
        RawHttp.Answer answer = RawHttp.send(proxy.port(), request.append(credentials).append("Connection: close\r\n\r\n").toString());
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        Seen seen = flask.lastRequest();
        assertThat(seen.path()).isEqualTo("/headers");
        assertThat(seen.headers()).as("no forged value in any header Flask sees")
                .noneMatch(header -> header.getValue().contains(FORGED));
        return seen;
    }

    @Test
    void aSignedInUsersApplicationSeesOnlyTheProxysIdentity() throws Exception {
        Seen seen = sendWithSpoofs("Authorization: Bearer Pomerium-" + token + "\r\n");

        assertThat(seen.header("X-Email")).containsExactly("alice@example.com");
        assertThat(seen.header("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(seen.header("X-Request-Id")).singleElement().asString().matches("[0-9a-f]{16}");
        assertThat(seen.header("Remote-User")).isEmpty();
        assertThat(seen.header("X-Auth-Request-Email")).isEmpty();
        assertThat(seen.header("Authorization")).as("the proxy's credentials stay with it").isEmpty();

        List<String> assertion = seen.header("X-Pomerium-Jwt-Assertion");
        assertThat(assertion).singleElement().asString().doesNotContain(",");
        HttpResponse<String> jwks = proxy.get("flask.example", "/.well-known/pomerium/jwks.json");
        assertThat(jwks.statusCode()).isEqualTo(200);
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks.body()).getJsonWebKeys()))
                .setExpectedIssuer("flask.example")
                .setExpectedAudience("flask.example")
                .setRequireExpirationTime()
                .build();
        JwtClaims claims = consumer.processToClaims(assertion.get(0));
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getClaimValue("email")).isEqualTo("alice@example.com");
    }

    @Test
    void aStrangersApplicationSeesNoIdentityAtAll() throws Exception {
        Seen seen = sendWithSpoofs("");
        // As Pomerium: the assertion of no one, and every claim header, empty; never what the client sent.
        assertThat(seen.headers()).as("only the proxy's identity headers without a session")
                .filteredOn(header -> HeaderSpelling.startsWith(header.getKey(), "x-pomerium-")
                        || HeaderSpelling.is(header.getKey(), "x-email"))
                .extracting(java.util.Map.Entry::getKey).containsExactlyInAnyOrder("X-Pomerium-Jwt-Assertion", "X-Email");
        assertThat(seen.header("X-Email")).containsExactly("");
        HttpResponse<String> jwks = proxy.get("flask.example", "/.well-known/pomerium/jwks.json");
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks.body()).getJsonWebKeys()))
                .setExpectedIssuer("flask.example")
                .setExpectedAudience("flask.example")
                .setRequireExpirationTime()
                .build().processToClaims(seen.header("X-Pomerium-Jwt-Assertion").get(0));
        assertThat(claims.getClaimsMap()).containsEntry("sub", "").containsEntry("email", "").containsEntry("sid", "");
        assertThat(seen.header("X-Forwarded-For")).containsExactly("127.0.0.1");
    }
}
