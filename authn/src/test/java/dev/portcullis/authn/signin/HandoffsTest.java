package dev.portcullis.authn.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.MemorySingleUse;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandoffsTest {
    private static final byte[] SECRET = filled(7);
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final Handoffs handoffs = handoffs(SECRET);
    private final Handoff handoff = new Handoff("app.example.com", "sealed.session.value", URI.create("https://app.example.com/x?y=1"),
            Optional.empty());

    @Test
    void redeemsOnceForItsHost() {
        String token = handoffs.issue(handoff, NOW);
        assertThat(redeemed(handoffs.redeem(token, "app.example.com", NOW.plusSeconds(5)))).contains(handoff);
        assertThat(redeemed(handoffs.redeem(token, "app.example.com", NOW.plusSeconds(6)))).as("replayed").isEmpty();
    }

    @Test
    void refusesAnotherHost() {
        String token = handoffs.issue(handoff, NOW);
        assertThat(redeemed(handoffs.redeem(token, "evil.example.com", NOW))).isEmpty();
        assertThat(redeemed(handoffs.redeem(token, "APP.example.com", NOW))).as("host names compare without case").isPresent();
    }

    @Test
    void refusesExpired() {
        String token = handoffs.issue(handoff, NOW);
        assertThat(redeemed(handoffs.redeem(token, "app.example.com", NOW.plus(Handoffs.LIFETIME)))).isEmpty();
    }

    @Test
    void refusesTamperedAndForeign() {
        String token = handoffs.issue(handoff, NOW);
        String[] parts = token.split("\\.");
        byte[] ciphertext = Base64.getUrlDecoder().decode(parts[3]);
        ciphertext[0] ^= 1;
        parts[3] = Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext);
        assertThat(redeemed(handoffs.redeem(String.join(".", parts), "app.example.com", NOW))).isEmpty();
        assertThat(redeemed(handoffs(filled(8)).redeem(token, "app.example.com", NOW))).as("other secret").isEmpty();
        assertThat(redeemed(handoffs.redeem("not-a-token", "app.example.com", NOW))).isEmpty();
        assertThat(redeemed(handoffs.redeem(null, "app.example.com", NOW))).isEmpty();
    }

    @Test
    void aLoginTicketIsNoHandoffNorTheReverse() {
        String ticket = new LoginTickets(SECRET).issue(URI.create("https://app.example.com/"), URI.create("http://localhost:9/cb"), NOW);
        assertThat(redeemed(handoffs.redeem(ticket, "app.example.com", NOW))).isEmpty();
        assertThat(new LoginTickets(SECRET).open(handoffs.issue(handoff, NOW), NOW)).isEmpty();
        assertThat(new LoginTickets(SECRET).open(ticket, NOW)).get()
                .satisfies(t -> assertThat(t.clientRedirect()).hasToString("http://localhost:9/cb"));
        assertThat(new LoginTickets(SECRET).open(ticket, NOW.plus(LoginTickets.LIFETIME))).isEmpty();
    }

    @Test
    void signInAttemptRoundTripsAndExpires() {
        SignInAttempts attempts = new SignInAttempts(SECRET);
        SignInAttempt attempt = new SignInAttempt("s", "n", "v", URI.create("https://app.example.com/"),
                Optional.of(URI.create("http://localhost/cb")), NOW.plusSeconds(600));
        String sealed = attempts.seal(attempt);
        assertThat(attempts.open(sealed, NOW)).contains(attempt);
        assertThat(attempts.open(sealed, NOW.plusSeconds(600))).isEmpty();
        assertThat(new SignInAttempts(filled(9)).open(sealed, NOW)).isEmpty();
        assertThat(attempt.toString()).doesNotContain("\"s\"").contains("returnUrl");
    }

    @Test
    void aStoreThatCannotAnswerRefusesByFailing() {
        Handoffs unreachable = new Handoffs(SECRET, (id, expiresAt) -> CompletableFuture.failedFuture(
                new IllegalStateException("store unreachable")));
        String token = unreachable.issue(handoff, NOW);
        assertThat(unreachable.redeem(token, "app.example.com", NOW)).isCompletedExceptionally();
    }

    private static Handoffs handoffs(byte[] secret) {
        return new Handoffs(secret, new MemorySingleUse(Clock.fixed(NOW, ZoneOffset.UTC), 1000));
    }

    private static Optional<Handoff> redeemed(CompletionStage<Optional<Handoff>> redemption) {
        return redemption.toCompletableFuture().join();
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
