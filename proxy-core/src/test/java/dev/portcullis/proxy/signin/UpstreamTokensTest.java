package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.testing.RunningProxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A session cookie carries the provider's tokens only when a route of the configuration substitutes them. */
class UpstreamTokensTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Session SESSION = new Session("sid", "alice", "alice@example.com", "Alice", List.of(), Map.of(),
            NOW, NOW.plusSeconds(3600), Optional.of("ID-TOKEN"), Optional.of("REFRESH"), Optional.empty(), Optional.empty(),
            Optional.of("ACCESS-TOKEN"));

    @Test
    void routesThatSubstituteNoTokenKeepNoneOnRouteHostsAndTheIdTokenForSignOut() throws Exception {
        UpstreamTokens tokens = tokensOf("""
                      X-Jwt: ${pomerium.jwt}
                      X-Fingerprint: ${pomerium.client_cert_fingerprint}
                      X-Literal: '$$pomerium.id_token'
                """);

        assertThat(tokens).isEqualTo(new UpstreamTokens(false, false));
        assertThat(tokens.forRouteHost(SESSION).idToken()).isEmpty();
        assertThat(tokens.forRouteHost(SESSION).accessToken()).isEmpty();
        assertThat(tokens.forAuthenticateHost(SESSION).idToken()).hasValue("ID-TOKEN");
        assertThat(tokens.forAuthenticateHost(SESSION).accessToken()).isEmpty();
    }

    @Test
    void aRouteThatSubstitutesATokenKeepsThatOne() throws Exception {
        UpstreamTokens access = tokensOf("""
                      Authorization: Bearer $pomerium.access_token
                """);
        assertThat(access).isEqualTo(new UpstreamTokens(false, true));
        assertThat(access.forRouteHost(SESSION).accessToken()).hasValue("ACCESS-TOKEN");
        assertThat(access.forRouteHost(SESSION).idToken()).isEmpty();

        UpstreamTokens id = tokensOf("""
                      Authorization: 'Bearer ${ pomerium . id_token }'
                """);
        assertThat(id).isEqualTo(new UpstreamTokens(true, false));
        assertThat(id.forRouteHost(SESSION).idToken()).hasValue("ID-TOKEN");
    }

    private static UpstreamTokens tokensOf(String setRequestHeaders) throws Exception {
        return UpstreamTokens.of(RunningProxy.load("""
                routes:
                  - from: https://plain.example.com
                    to: http://127.0.0.1:1
                    allow_public_unauthenticated_access: true
                  - from: https://tokens.example.com
                    to: http://127.0.0.1:1
                    allow_public_unauthenticated_access: true
                    set_request_headers:
                """ + setRequestHeaders, Map.of()).routes());
    }
}
