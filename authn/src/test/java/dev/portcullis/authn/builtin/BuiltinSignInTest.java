package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.BuiltinSignIn.Outcome;
import dev.portcullis.authn.testing.StoppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.encoders.Base32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BuiltinSignInTest {

    private static final String SECRET = "JBSWY3DPEHPK3PXP";
    private static final String ADDRESS = "192.0.2.1";
    private static final String ALICE_HASH = PasswordHasher.hash("alice's password".toCharArray());

    private final StoppedClock clock = new StoppedClock(Instant.parse("2026-01-31T09:00:10Z"));
    private final ExecutorService hashing = Executors.newSingleThreadExecutor(r -> new Thread(r, "hashing-test"));
    private final List<String> verifiedHashes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> verifyingThreads = Collections.synchronizedList(new ArrayList<>());
    private final UsersFile users = UsersFile.empty()
            .with(new BuiltinUser("alice@example.com", "Alice", List.of("family"), Optional.of(ALICE_HASH), Optional.empty()))
            .with(new BuiltinUser("bob@example.com", "Bob", List.of(), Optional.of(ALICE_HASH), Optional.of(SECRET)));
    private final BuiltinSignIn signIn = new BuiltinSignIn(() -> users, hashing, clock, (password, phc) -> {
        verifiedHashes.add(phc);
        verifyingThreads.add(Thread.currentThread().getName());
        return PasswordHasher.verify(password, phc);
    }, BuiltinStores.inMemory(clock));

    @AfterEach
    void stopHashing() throws InterruptedException {
        hashing.shutdownNow();
        hashing.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void theRightPasswordSignsInOnTheHashingExecutor() {
        Outcome outcome = password("ALICE@example.com", "alice's password");

        assertThat(outcome).isInstanceOfSatisfying(Outcome.SignedIn.class,
                signedIn -> assertThat(signedIn.user().email()).isEqualTo("alice@example.com"));
        assertThat(verifyingThreads).containsExactly("hashing-test");
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswerAndTheSameWork() {
        Outcome wrongPassword = password("alice@example.com", "guess");
        Outcome unknownEmail = password("mallory@example.com", "alice's password");

        assertThat(wrongPassword).isEqualTo(unknownEmail).isEqualTo(new Outcome.Refused(BuiltinSignIn.REFUSED_MESSAGE));
        // One Argon2id verification each; the unknown email's against the dummy hash of the same parameters.
        assertThat(verifiedHashes).containsExactly(ALICE_HASH, BuiltinSignIn.DUMMY_HASH);
        assertThat(BuiltinSignIn.DUMMY_HASH).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHasher.problem(BuiltinSignIn.DUMMY_HASH)).isEmpty();
    }

    @Test
    void aUserWithTotpNeedsACodeThatWorksOnce() {
        Outcome first = password("bob@example.com", "alice's password");
        assertThat(first).isInstanceOf(Outcome.NeedsTotp.class);
        assertThat(first.toString()).doesNotContain(((Outcome.NeedsTotp) first).pendingTicket());
        String code = codeAt(clock.instant());

        Outcome signedIn = totp(((Outcome.NeedsTotp) first).pendingTicket(), code, ADDRESS);
        assertThat(signedIn).isInstanceOfSatisfying(Outcome.SignedIn.class,
                s -> assertThat(s.user().email()).isEqualTo("bob@example.com"));

        Outcome second = password("bob@example.com", "alice's password");
        Outcome replay = totp(((Outcome.NeedsTotp) second).pendingTicket(), code, ADDRESS);
        assertThat(replay).isEqualTo(new Outcome.Refused(BuiltinSignIn.REFUSED_MESSAGE));
    }

    @Test
    void anEarlierStepThanTheLastAcceptedIsRefusedAndALaterOneAccepted() {
        Outcome first = password("bob@example.com", "alice's password");
        assertThat(totp(ticket(first), codeAt(clock.instant().plusSeconds(30)), ADDRESS))
                .isInstanceOf(Outcome.SignedIn.class);

        assertThat(totp(ticket(password("bob@example.com", "alice's password")), codeAt(clock.instant()), ADDRESS))
                .isInstanceOf(Outcome.Refused.class);
        clock.advance(Duration.ofSeconds(60));
        assertThat(totp(ticket(password("bob@example.com", "alice's password")), codeAt(clock.instant()), ADDRESS))
                .isInstanceOf(Outcome.SignedIn.class);
    }

    @Test
    void aTicketIsSingleUseAndExpiresAfterFiveMinutes() {
        String ticket = ticket(password("bob@example.com", "alice's password"));
        assertThat(totp(ticket, "000000", ADDRESS)).isInstanceOf(Outcome.Refused.class);
        assertThat(totp(ticket, codeAt(clock.instant()), ADDRESS)).isInstanceOf(Outcome.Refused.class);

        String late = ticket(password("bob@example.com", "alice's password"));
        clock.advance(BuiltinSignIn.PENDING_LIFETIME.plusSeconds(1));
        assertThat(totp(late, codeAt(clock.instant()), ADDRESS)).isInstanceOf(Outcome.Refused.class);
        assertThat(totp("made-up", codeAt(clock.instant()), ADDRESS))
                .isEqualTo(new Outcome.Refused(BuiltinSignIn.REFUSED_MESSAGE));
    }

    @Test
    void fiveFailuresThrottleWithoutCheckingThePasswordUntilTheLockEnds() {
        for (int i = 0; i < 5; i++) {
            assertThat(password("alice@example.com", "guess " + i)).isInstanceOf(Outcome.Refused.class);
        }
        int verifications = verifiedHashes.size();

        assertThat(password("alice@example.com", "alice's password")).isEqualTo(new Outcome.Throttled(Duration.ofSeconds(1)));
        assertThat(verifiedHashes).hasSize(verifications);

        clock.advance(Duration.ofSeconds(1));
        assertThat(password("alice@example.com", "alice's password")).isInstanceOf(Outcome.SignedIn.class);
    }

    @Test
    void wrongTotpCodesCountAsFailures() {
        for (int i = 0; i < 5; i++) {
            assertThat(totp(ticket(password("bob@example.com", "alice's password")), "000000", ADDRESS))
                    .isInstanceOf(Outcome.Refused.class);
        }

        assertThat(password("bob@example.com", "alice's password")).isInstanceOf(Outcome.Throttled.class);
    }

    @Test
    void aUserRemovedFromTheFileCannotSignIn() {
        UsersFile[] current = {users};
        BuiltinSignIn reloading = new BuiltinSignIn(() -> current[0], hashing, clock, BuiltinStores.inMemory(clock));
        current[0] = users.without("alice@example.com");

        assertThat(reloading.password("alice@example.com", "alice's password".toCharArray(), ADDRESS)
                .toCompletableFuture().join()).isInstanceOf(Outcome.Refused.class);
    }

    @Test
    void aUserWithoutPasswordIsRefusedAfterTheSameWorkAsAWrongPassword() {
        List<String> verified = Collections.synchronizedList(new ArrayList<>());
        UsersFile withPasskeyOnly = users.with(new BuiltinUser("carol@example.com", "Carol", List.of(), Optional.empty(),
                Optional.empty()));
        // A verifier that accepts any password: only the missing password can refuse Carol.
        BuiltinSignIn lenient = new BuiltinSignIn(() -> withPasskeyOnly, hashing, clock, (password, phc) -> {
            verified.add(phc);
            return true;
        }, BuiltinStores.inMemory(clock));

        Outcome carol = lenient.password("carol@example.com", "anything".toCharArray(), ADDRESS).toCompletableFuture().join();
        Outcome wrongPassword = password("alice@example.com", "guess");

        assertThat(carol).isEqualTo(wrongPassword).isEqualTo(new Outcome.Refused(BuiltinSignIn.REFUSED_MESSAGE));
        assertThat(verified).containsExactly(BuiltinSignIn.DUMMY_HASH);
    }

    private Outcome password(String email, String password) {
        return signIn.password(email, password.toCharArray(), ADDRESS).toCompletableFuture().join();
    }

    private Outcome totp(String ticket, String code, String address) {
        return signIn.totp(ticket, code, address).toCompletableFuture().join();
    }

    private static String ticket(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.NeedsTotp.class);
        return ((Outcome.NeedsTotp) outcome).pendingTicket();
    }

    private static String codeAt(Instant instant) {
        return Totp.code(Base32.decode(SECRET), instant.getEpochSecond() / 30, 6);
    }
}
