package dev.portcullis.authn.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.MemoryLoginThrottle;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.store.MemorySingleUse;
import dev.portcullis.authn.testing.StoppedClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasskeyCeremonyTest {

    private static final String ORIGIN = "https://authenticate.example.com";
    private static final String RP_ID = "authenticate.example.com";
    private static final String CLIENT = "192.0.2.7";
    private static final BuiltinUser ALICE = new BuiltinUser("Alice@Example.com", "Alice", List.of("family"),
            Optional.empty(), Optional.empty());

    @TempDir
    Path directory;

    private final StoppedClock clock = new StoppedClock(Instant.parse("2026-12-07T20:00:00Z"));
    private final AtomicReference<UsersFile> users = new AtomicReference<>(UsersFile.empty().with(ALICE));
    private final TestAuthenticator authenticator = new TestAuthenticator();
    private final MemoryLoginThrottle throttle = new MemoryLoginThrottle(clock);
    private PasskeyStore store;
    private PasskeyRegistration registration;
    private PasskeySignIn signIn;

    @BeforeEach
    void setUp() {
        RelyingParty rp = RelyingParty.of(URI.create(ORIGIN + "/"), "Portcullis");
        store = new PasskeyStore(directory.resolve("users.passkeys.json"));
        PasskeyChallenges challenges = new PasskeyChallenges(new MemorySingleUse(clock, 1000), clock);
        registration = new PasskeyRegistration(rp, users::get, store, challenges, Runnable::run, clock);
        signIn = new PasskeySignIn(rp, users::get, store, challenges, throttle, Runnable::run, clock);
    }

    @Test
    void registeredPasskeySignsInAsTwoFactors() throws Exception {
        PasskeyCredential registered = register(authenticator);
        assertThat(registered.email()).isEqualTo("alice@example.com");
        assertThat(registered.name()).isEqualTo("Phone");
        assertThat(registered.transports()).containsExactly("hybrid", "internal");
        assertThat(store.list("alice@example.com")).containsExactly(registered);

        clock.advance(Duration.ofMinutes(1));
        PasskeySignIn.Outcome outcome = signIn(authenticator, 1, true);

        assertThat(outcome).isInstanceOf(PasskeySignIn.Outcome.SignedIn.class);
        PasskeySignIn.Outcome.SignedIn signedIn = (PasskeySignIn.Outcome.SignedIn) outcome;
        assertThat(signedIn.user().email()).isEqualTo("Alice@Example.com");
        assertThat(signedIn.twoFactors()).isTrue();
        PasskeyCredential stored = store.find(registered.id()).orElseThrow();
        assertThat(stored.signCount()).isEqualTo(1);
        assertThat(stored.lastUsed()).contains(clock.instant());
    }

    @Test
    void replayedAssertionIsRefused() throws Exception {
        register(authenticator);
        PasskeySignIn.Started started = signIn.start();
        String response = authenticator.authenticate(started.pending().challenge().value(), ORIGIN, RP_ID, handle(), 1, true);

        assertThat(finish(started.pending(), response)).isInstanceOf(PasskeySignIn.Outcome.SignedIn.class);
        assertThat(finish(started.pending(), response)).isEqualTo(
                new PasskeySignIn.Outcome.Refused("the challenge was used already or expired"));
    }

    @Test
    void replayedRegistrationIsRefused() throws Exception {
        PasskeyRegistration.Started started = registration.start(ALICE).toCompletableFuture().join();
        String response = authenticator.register(started.pending().challenge().value(), ORIGIN, RP_ID, true);
        assertThat(registration.finish(started.pending(), response, "Phone").toCompletableFuture().join())
                .isInstanceOf(PasskeyRegistration.Outcome.Registered.class);

        store.resetFor("alice@example.com");
        assertThat(registration.finish(started.pending(), response, "Phone").toCompletableFuture().join())
                .isEqualTo(new PasskeyRegistration.Outcome.Refused("the challenge was used already or expired"));
        assertThat(store.list("alice@example.com")).isEmpty();
    }

    @Test
    void expiredChallengeIsRefused() throws Exception {
        register(authenticator);
        PasskeySignIn.Started started = signIn.start();
        String response = authenticator.authenticate(started.pending().challenge().value(), ORIGIN, RP_ID, handle(), 1, true);
        clock.advance(PasskeyChallenges.LIFETIME);

        assertThat(finish(started.pending(), response)).isEqualTo(
                new PasskeySignIn.Outcome.Refused("the challenge was used already or expired"));
    }

    @Test
    void assertionForAnotherOriginIsRefused() throws Exception {
        register(authenticator);
        PasskeySignIn.Started started = signIn.start();
        String response = authenticator.authenticate(started.pending().challenge().value(),
                "https://authenticate.example.com.evil.test", RP_ID, handle(), 1, true);

        assertThat(reason(finish(started.pending(), response))).startsWith("BadOriginException");
        assertThat(store.list("alice@example.com").get(0).signCount()).isZero();
    }

    @Test
    void assertionForAnotherRpIdIsRefused() throws Exception {
        register(authenticator);
        PasskeySignIn.Started started = signIn.start();
        String response = authenticator.authenticate(started.pending().challenge().value(), ORIGIN, "example.com",
                handle(), 1, true);

        assertThat(reason(finish(started.pending(), response))).startsWith("BadRpIdException");
    }

    @Test
    void registrationForAnotherOriginOrRpIdIsRefused() throws Exception {
        PasskeyRegistration.Started first = registration.start(ALICE).toCompletableFuture().join();
        String wrongOrigin = authenticator.register(first.pending().challenge().value(), "https://evil.test", RP_ID, true);
        assertThat(registration.finish(first.pending(), wrongOrigin, "Phone").toCompletableFuture().join())
                .isInstanceOfSatisfying(PasskeyRegistration.Outcome.Refused.class,
                        refused -> assertThat(refused.reason()).startsWith("BadOriginException"));

        PasskeyRegistration.Started second = registration.start(ALICE).toCompletableFuture().join();
        String wrongRpId = authenticator.register(second.pending().challenge().value(), ORIGIN, "evil.test", true);
        assertThat(registration.finish(second.pending(), wrongRpId, "Phone").toCompletableFuture().join())
                .isInstanceOfSatisfying(PasskeyRegistration.Outcome.Refused.class,
                        refused -> assertThat(refused.reason()).startsWith("BadRpIdException"));
        assertThat(store.list("alice@example.com")).isEmpty();
    }

    @Test
    void assertionWithAnotherChallengeIsRefused() throws Exception {
        register(authenticator);
        PasskeySignIn.Started issued = signIn.start();
        PasskeySignIn.Started other = signIn.start();
        String response = authenticator.authenticate(other.pending().challenge().value(), ORIGIN, RP_ID, handle(), 1, true);

        assertThat(reason(finish(issued.pending(), response))).startsWith("BadChallengeException");
    }

    @Test
    void clonedAuthenticatorWhoseCounterWentBackIsRefusedAsCounterRegression() throws Exception {
        PasskeyCredential registered = register(authenticator);
        TestAuthenticator clone = authenticator.cloned();
        assertThat(signIn(authenticator, 5, true)).isInstanceOf(PasskeySignIn.Outcome.SignedIn.class);

        PasskeySignIn.Outcome outcome = signIn(clone, 3, true);

        assertThat(outcome).isEqualTo(new PasskeySignIn.Outcome.CounterRegressed("alice@example.com", registered.id(), 5, 3));
        assertThat(signIn(clone, 5, true)).isInstanceOf(PasskeySignIn.Outcome.CounterRegressed.class);
        assertThat(store.find(registered.id()).orElseThrow().signCount()).isEqualTo(5);
        assertThat(signIn(authenticator, 6, true)).isInstanceOf(PasskeySignIn.Outcome.SignedIn.class);
    }

    @Test
    void authenticatorThatDoesNotCountSignsInAgainAndAgain() throws Exception {
        register(authenticator);
        assertThat(signIn(authenticator, 0, true)).isInstanceOf(PasskeySignIn.Outcome.SignedIn.class);
        assertThat(signIn(authenticator, 0, true)).isInstanceOf(PasskeySignIn.Outcome.SignedIn.class);
    }

    @Test
    void withoutUserVerificationTheSignInIsOneFactorOnly() throws Exception {
        register(authenticator);

        PasskeySignIn.Outcome outcome = signIn(authenticator, 1, false);

        assertThat(outcome).isInstanceOf(PasskeySignIn.Outcome.SignedIn.class);
        assertThat(((PasskeySignIn.Outcome.SignedIn) outcome).twoFactors()).isFalse();
    }

    @Test
    void removedUsersPasskeyIsRefusedAtOnce() throws Exception {
        register(authenticator);
        users.set(users.get().without("alice@example.com"));

        assertThat(signIn(authenticator, 1, true)).isEqualTo(
                new PasskeySignIn.Outcome.Refused("the passkey's user no longer exists"));
    }

    @Test
    void resetPasskeyIsRefusedEvenWhenTheUserIsAddedAgain() throws Exception {
        register(authenticator);
        String oldHandle = handle();
        assertThat(store.resetFor("alice@example.com")).isEqualTo(1);

        PasskeySignIn.Started started = signIn.start();
        String response = authenticator.authenticate(started.pending().challenge().value(), ORIGIN, RP_ID, oldHandle, 1, true);

        assertThat(finish(started.pending(), response)).isEqualTo(new PasskeySignIn.Outcome.Refused("unknown passkey"));
    }

    @Test
    void assertionNamingAnotherUserHandleIsRefused() throws Exception {
        register(authenticator);
        PasskeySignIn.Started started = signIn.start();
        String response = authenticator.authenticate(started.pending().challenge().value(), ORIGIN, RP_ID,
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 1, true);

        assertThat(finish(started.pending(), response)).isEqualTo(
                new PasskeySignIn.Outcome.Refused("the user handle is not the passkey owner's"));
    }

    @Test
    void samePasskeyCannotBeRegisteredTwice() throws Exception {
        register(authenticator);
        PasskeyRegistration.Started started = registration.start(ALICE).toCompletableFuture().join();
        String response = authenticator.register(started.pending().challenge().value(), ORIGIN, RP_ID, true);

        assertThat(registration.finish(started.pending(), response, "Again").toCompletableFuture().join())
                .isEqualTo(new PasskeyRegistration.Outcome.Refused("this passkey is registered already"));
    }

    @Test
    void creationOptionsAskForADiscoverableVerifiedPasskeyUnderAnOpaqueHandle() throws Exception {
        PasskeyCredential existing = register(authenticator);
        PasskeyRegistration.Started started = registration.start(ALICE).toCompletableFuture().join();

        JsonNode options = new ObjectMapper().readTree(started.optionsJson());

        assertThat(options.at("/rp/id").asText()).isEqualTo(RP_ID);
        assertThat(options.at("/user/id").asText()).isEqualTo(handle()).doesNotContain("alice");
        assertThat(options.at("/user/name").asText()).isEqualTo("Alice@Example.com");
        assertThat(options.at("/challenge").asText()).isEqualTo(started.pending().challenge().value()).hasSize(43);
        assertThat(options.at("/authenticatorSelection/residentKey").asText()).isEqualTo("required");
        assertThat(options.at("/authenticatorSelection/userVerification").asText()).isEqualTo("required");
        assertThat(options.at("/attestation").asText()).isEqualTo("none");
        assertThat(options.at("/pubKeyCredParams/0/alg").asInt()).isEqualTo(-7);
        assertThat(options.at("/excludeCredentials/0/id").asText()).isEqualTo(existing.id());

        JsonNode request = new ObjectMapper().readTree(signIn.start().optionsJson());
        assertThat(request.at("/rpId").asText()).isEqualTo(RP_ID);
        assertThat(request.at("/allowCredentials").size()).isZero();
        assertThat(request.at("/userVerification").asText()).isEqualTo("required");
    }

    @Test
    void relyingPartyIsTheAuthenticateHostAndOrigin() {
        assertThat(RelyingParty.of(URI.create("https://Auth.Example.com:8443/x"), "P"))
                .isEqualTo(new RelyingParty("auth.example.com", "https://auth.example.com:8443", "P"));
        assertThat(RelyingParty.of(URI.create("https://auth.example.com:443"), "P").origin())
                .isEqualTo("https://auth.example.com");
    }

    private PasskeyCredential register(TestAuthenticator device) {
        PasskeyRegistration.Started started = registration.start(ALICE).toCompletableFuture().join();
        String response = device.register(started.pending().challenge().value(), ORIGIN, RP_ID, true);
        PasskeyRegistration.Outcome outcome = registration.finish(started.pending(), response, "Phone").toCompletableFuture().join();
        assertThat(outcome).isInstanceOf(PasskeyRegistration.Outcome.Registered.class);
        return ((PasskeyRegistration.Outcome.Registered) outcome).credential();
    }

    private PasskeySignIn.Outcome signIn(TestAuthenticator device, long signCount, boolean userVerified) throws Exception {
        PasskeySignIn.Started started = signIn.start();
        String response = device.authenticate(started.pending().challenge().value(), ORIGIN, RP_ID, handle(), signCount,
                userVerified);
        return finish(started.pending(), response);
    }

    @Test
    void failuresFromOneAddressAreThrottledAsPasswordsAreAndASuccessIsNotCountedAgainstIt() throws Exception {
        register(authenticator);
        TestAuthenticator stranger = new TestAuthenticator();
        for (int i = 0; i < MemoryLoginThrottle.THRESHOLD; i++) {
            PasskeySignIn.Started started = signIn.start();
            String forged = stranger.authenticate(started.pending().challenge().value(), ORIGIN, RP_ID, handle(), 1, true);
            assertThat(finish(started.pending(), forged)).isEqualTo(new PasskeySignIn.Outcome.Refused("unknown passkey"));
        }

        PasskeySignIn.Started started = signIn.start();
        String genuine = authenticator.authenticate(started.pending().challenge().value(), ORIGIN, RP_ID, handle(), 1, true);
        PasskeySignIn.Outcome locked = finish(started.pending(), genuine);

        assertThat(locked).isEqualTo(new PasskeySignIn.Outcome.Throttled(MemoryLoginThrottle.FIRST_DELAY));
        assertThat(store.list("alice@example.com").get(0).signCount()).as("not checked while locked").isZero();
        clock.advance(MemoryLoginThrottle.FIRST_DELAY);
        PasskeySignIn.Started again = signIn.start();
        String later = authenticator.authenticate(again.pending().challenge().value(), ORIGIN, RP_ID, handle(), 2, true);
        assertThat(finish(again.pending(), later)).isInstanceOf(PasskeySignIn.Outcome.SignedIn.class);
    }

    @Test
    void theThrottledAccountIsThePasskeyNeverTheOwnersEmail() {
        assertThat(PasskeySignIn.throttledAccount("{\"id\":\"AbC-_1\",\"response\":{}}")).isEqualTo("passkey:AbC-_1");
        assertThat(PasskeySignIn.throttledAccount("{\"id\":7}")).isEqualTo("passkey:");
        assertThat(PasskeySignIn.throttledAccount("not json")).isEqualTo("passkey:");
        // Only the top-level id, and the last of several (as the verifier reads it): a decoy cannot pick the account.
        assertThat(PasskeySignIn.throttledAccount("{\"response\":{\"id\":\"inner\"},\"id\":\"outer\"}"))
                .isEqualTo("passkey:outer");
        assertThat(PasskeySignIn.throttledAccount("{\"id\":\"decoy\",\"id\":\"real\"}")).isEqualTo("passkey:real");
        assertThat(PasskeySignIn.throttledAccount("{\"id\":\"" + "a".repeat(1025) + "\"}")).isEqualTo("passkey:");
        assertThat(PasskeySignIn.throttledAccount("{\"id\":\"cut")).isEqualTo("passkey:");
        assertThat(PasskeySignIn.throttledAccount("[\"id\"]")).isEqualTo("passkey:");
    }

    private PasskeySignIn.Outcome finish(PasskeySignIn.Pending pending, String response) {
        return signIn.finish(pending, response, CLIENT).toCompletableFuture().join();
    }

    private static String reason(PasskeySignIn.Outcome outcome) {
        assertThat(outcome).isInstanceOf(PasskeySignIn.Outcome.Refused.class);
        return ((PasskeySignIn.Outcome.Refused) outcome).reason();
    }

    private String handle() throws Exception {
        return store.userHandle("alice@example.com").orElseThrow();
    }
}
