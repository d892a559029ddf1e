package dev.portcullis.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit events of a session's whole life against a real identity provider — two sign-ins, a
 * refusal by the policy, a sign-out, a back-channel logout, a renewal that fails — each with its
 * fields, and not one cookie value, token or secret anywhere in the log.
 */
class AuditLogTest {
    private SignInFixture fixture;
    private TestIdentityProvider idp;

    @BeforeEach
    void start() throws Exception {
        fixture = SignInFixture.start("");
        idp = fixture.idp;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void everyAuditEventCarriesItsFieldsAndNoSecretCookieOrToken() throws Exception {
        List<String> secrets = new ArrayList<>();
        CapturedLog log = new CapturedLog();
        try (log) {
            // alice's tokens live 10 minutes, so renewing them is due after 9 minutes of the proxy's clock.
            SignInClient alice = new SignInClient(fixture.port);
            idp.nextUser("alice", "alice@example.com", List.of("family"), 600);
            List<Answer> hops = alice.follow(fixture.url("app", "/private?token=abc"), "Authorization",
                    "Basic c2VjcmV0OnNlY3JldA==");
            assertThat(hops.get(hops.size() - 1).status()).isEqualTo(200);
            secrets.addAll(queryValues(hops));
            secrets.addAll(alice.cookies("app.test").values());
            secrets.addAll(alice.cookies("authenticate.test").values());
            secrets.add(fixture.upstream.lastRequest().header("X-Pomerium-Jwt-Assertion"));

            SignInClient bob = new SignInClient(fixture.port);
            idp.nextUser("bob", "bob@example.com", List.of(), 3600);
            List<Answer> bobHops = bob.follow(fixture.url("app", "/"));
            assertThat(bobHops.get(bobHops.size() - 1).status()).isEqualTo(403);
            secrets.addAll(queryValues(bobHops));
            secrets.addAll(bob.cookies("app.test").values());
            secrets.addAll(bob.cookies("authenticate.test").values());
            bob.follow(fixture.url("app", "/.pomerium/sign_out"));

            String logoutToken = idp.signedToken("bob", Map.of(
                    "events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()),
                    "sid", "idp-session-bob"));
            secrets.add(logoutToken);
            Answer logout = bob.post(fixture.url("authenticate", "/.pomerium/backchannel_logout"),
                    "logout_token=" + logoutToken);
            assertThat(logout.status()).isEqualTo(200);

            fixture.clock.advance(Duration.ofSeconds(541));
            idp.stop();
            Answer stillIn = alice.get(fixture.url("app", "/"));
            assertThat(stillIn.status()).as("the session outlives a provider that is down").isEqualTo(200);
        }

        JsonNode aliceIn = only(log.events("sign_in").stream().filter(e -> e.path("user_id").asText().equals("alice")).toList());
        assertThat(aliceIn.path("email").asText()).isEqualTo("alice@example.com");
        assertThat(aliceIn.path("provider").asText()).isEqualTo("oidc");
        assertThat(aliceIn.path("host").asText()).isEqualTo("app.test:" + fixture.port);
        assertThat(aliceIn.path("level").asText()).isEqualTo("INFO");
        assertThat(log.events("sign_in")).extracting(e -> e.path("user_id").asText()).containsExactlyInAnyOrder("alice", "bob");

        JsonNode denied = only(log.events("access_denied"));
        assertThat(denied.path("user_id").asText()).isEqualTo("bob");
        assertThat(denied.path("email").asText()).isEqualTo("bob@example.com");
        assertThat(denied.path("anonymous").asBoolean()).isFalse();
        assertThat(denied.path("route").asText()).isNotEmpty();
        assertThat(denied.path("host").asText()).isEqualTo("app.test:" + fixture.port);
        assertThat(denied.path("status").asInt()).isEqualTo(403);
        assertThat(texts(denied.path("reasons"))).isNotEmpty();
        assertThat(denied.path("explanation").asText()).contains("alice@example.com");

        JsonNode out = only(log.events("sign_out"));
        assertThat(out.path("user_id").asText()).isEqualTo("bob");
        assertThat(out.path("email").asText()).isEqualTo("bob@example.com");

        JsonNode backChannel = only(log.events("backchannel_logout"));
        assertThat(backChannel.path("sub").asText()).isEqualTo("bob");
        assertThat(backChannel.path("sid").asText()).isEqualTo("idp-session-bob");

        JsonNode refresh = only(log.events("session_refresh_failed"));
        assertThat(refresh.path("user_id").asText()).isEqualTo("alice");
        assertThat(refresh.path("session_ended").asBoolean()).isFalse();
        assertThat(refresh.path("reason").asText()).isNotEmpty();
        assertThat(refresh.path("level").asText()).isEqualTo("WARN");

        List<JsonNode> access = log.accessLines();
        assertThat(access).anySatisfy(line -> {
            assertThat(line.path("decision").asText()).isEqualTo("sign_in");
            assertThat(line.has("user_id")).isFalse();
        });
        assertThat(access).anySatisfy(line -> {
            assertThat(line.path("decision").asText()).isEqualTo("allow");
            assertThat(line.path("user_id").asText()).isEqualTo("alice");
            assertThat(line.path("email").asText()).isEqualTo("alice@example.com");
        });
        assertThat(access).anySatisfy(line -> {
            assertThat(line.path("decision").asText()).isEqualTo("deny");
            assertThat(line.path("user_id").asText()).isEqualTo("bob");
            assertThat(texts(line.path("reasons"))).isEqualTo(texts(denied.path("reasons")));
        });

        secrets.add(TestIdentityProvider.CLIENT_SECRET);
        secrets.add(RunningProxy.SECRET);
        secrets.add("c2VjcmV0OnNlY3JldA==");
        assertThat(secrets).hasSizeGreaterThan(8);
        String all = log.all();
        for (String secret : secrets) {
            assertThat(all).as("the log must not hold %s…", secret.substring(0, 8)).doesNotContain(secret);
        }
        assertThat(all).doesNotContain("token=abc").doesNotContain("eyJ");
    }

    /** The long values of the query strings of every redirect: codes, states, hand-off tokens. */
    private static List<String> queryValues(List<Answer> hops) {
        List<String> values = new ArrayList<>();
        for (Answer hop : hops) {
            hop.header("location").ifPresent(location -> {
                int query = location.indexOf('?');
                if (query > 0) {
                    for (String parameter : location.substring(query + 1).split("&")) {
                        String value = parameter.substring(parameter.indexOf('=') + 1);
                        if (value.length() > 20) {
                            values.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
                        }
                    }
                }
            });
        }
        return values;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static JsonNode only(List<JsonNode> events) {
        assertThat(events).hasSize(1);
        return events.get(0);
    }
}
