package dev.portcullis.authn.invitation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvitationsTest {

    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);

    @TempDir
    Path directory;

    private Invitations invitations() {
        return new Invitations(Invitations.besideUsersFile(directory.resolve("users.yaml")));
    }

    @Test
    void fileSitsBesideTheUsersFile() {
        assertThat(Invitations.besideUsersFile(directory.resolve("users.yaml")))
                .isEqualTo(directory.resolve("users.invitations.json"));
    }

    @Test
    void anInvitationIsFoundByItsTokenAndTakenOnce() throws Exception {
        Invitations store = invitations();
        String token = store.invite("Carol@Example.com", "Carol", List.of("family"), DAY, NOW);

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        Invitation found = store.find(token, NOW.plusSeconds(60)).orElseThrow();
        assertThat(found.email()).isEqualTo("Carol@Example.com");
        assertThat(found.name()).isEqualTo("Carol");
        assertThat(found.groups()).containsExactly("family");
        assertThat(found.created()).isEqualTo(NOW);
        assertThat(found.expiresAt()).isEqualTo(NOW.plus(DAY));
        assertThat(store.find(token, NOW)).contains(found); // finding does not use it up

        assertThat(store.take(token, NOW.plusSeconds(60))).contains(found);
        assertThat(store.take(token, NOW.plusSeconds(61))).isEmpty();
        assertThat(store.find(token, NOW.plusSeconds(61))).isEmpty();
        assertThat(store.pending(NOW)).isEmpty();
    }

    @Test
    void aTakenInvitationIsGoneForAnotherStoreOfTheSameFile() throws Exception {
        String token = invitations().invite("carol@example.com", "", List.of(), DAY, NOW);

        assertThat(invitations().take(token, NOW)).isPresent();
        assertThat(invitations().take(token, NOW)).isEmpty();
    }

    @Test
    void ofThreadsTakingOneTokenAtOnceExactlyOneGetsIt() throws Exception {
        String token = invitations().invite("carol@example.com", "", List.of(), DAY, NOW);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Invitation> taken = new ArrayList<>();
        try {
            List<Callable<List<Invitation>>> work = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                work.add(() -> invitations().take(token, NOW).stream().toList());
            }
            for (Future<List<Invitation>> done : threads.invokeAll(work)) {
                taken.addAll(done.get());
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(taken).hasSize(1);
    }

    @Test
    void anUnknownOrMalformedTokenFindsNothing() throws Exception {
        Invitations store = invitations();
        store.invite("carol@example.com", "", List.of(), DAY, NOW);

        assertThat(store.find("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NOW)).isEmpty();
        assertThat(store.take("not a token", NOW)).isEmpty();
        assertThat(store.pending(NOW)).hasSize(1);
    }

    @Test
    void anInvitationExpiresAndIsDroppedByTheNextChange() throws Exception {
        Invitations store = invitations();
        String carol = store.invite("carol@example.com", "", List.of(), DAY, NOW);
        Instant expiry = NOW.plus(DAY);

        assertThat(store.find(carol, expiry.minusMillis(1))).isPresent();
        assertThat(store.find(carol, expiry)).isEmpty();
        assertThat(store.pending(expiry)).isEmpty();
        assertThat(Files.readString(store.file())).contains("carol@example.com");

        store.invite("dave@example.com", "", List.of(), DAY, expiry);

        assertThat(Files.readString(store.file())).doesNotContain("carol@example.com").contains("dave@example.com");
        assertThat(store.take(carol, expiry)).isEmpty();
    }

    @Test
    void anExpiredTokenCannotBeTaken() throws Exception {
        Invitations store = invitations();
        String carol = store.invite("carol@example.com", "", List.of(), Duration.ofMinutes(30), NOW);

        assertThat(store.take(carol, NOW.plus(Duration.ofMinutes(30)))).isEmpty();
    }

    @Test
    void invitingAgainReplacesTheEarlierInvitation() throws Exception {
        Invitations store = invitations();
        String first = store.invite("carol@example.com", "Carol", List.of(), DAY, NOW);
        String second = store.invite("CAROL@example.com", "Carol B.", List.of("kids"), DAY, NOW.plusSeconds(5));

        assertThat(second).isNotEqualTo(first);
        assertThat(store.find(first, NOW.plusSeconds(5))).isEmpty();
        assertThat(store.pending(NOW.plusSeconds(5))).singleElement()
                .satisfies(invitation -> assertThat(invitation.name()).isEqualTo("Carol B."));
        assertThat(store.take(second, NOW.plusSeconds(6)).orElseThrow().groups()).containsExactly("kids");
    }

    @Test
    void withdrawRemovesOnlyThatEmailsInvitation() throws Exception {
        Invitations store = invitations();
        String carol = store.invite("carol@example.com", "", List.of(), DAY, NOW);
        String dave = store.invite("dave@example.com", "", List.of(), DAY, NOW);

        assertThat(store.withdraw("Carol@Example.com")).isTrue();
        assertThat(store.withdraw("carol@example.com")).isFalse();

        assertThat(store.find(carol, NOW)).isEmpty();
        assertThat(store.find(dave, NOW)).isPresent();
        assertThat(store.pending(NOW)).extracting(Invitation::email).containsExactly("dave@example.com");
    }

    @Test
    void theFileHoldsTheTokensDigestNeverTheTokenAndIsOwnerOnly() throws Exception {
        Invitations store = invitations();
        String token = store.invite("carol@example.com", "Carol", List.of(), DAY, NOW);

        String onDisk = Files.readString(store.file());
        assertThat(onDisk).doesNotContain(token).contains("\"tokenSha256\"")
                .contains(store.pending(NOW).get(0).tokenDigest());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    }

    @Test
    void aBadEmailOrValidityIsRefusedAndWritesNothing() {
        Invitations store = invitations();

        assertThatThrownBy(() -> store.invite("carol", "", List.of(), DAY, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email: \"carol\"");
        assertThatThrownBy(() -> store.invite("carol@example.com", "", List.of(), Duration.ZERO, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: > 0");
        assertThat(store.file()).doesNotExist();
    }

    @Test
    void aMalformedFileIsReportedWithItsNameAndNeverOverwritten() throws Exception {
        Invitations store = invitations();
        String malformed = "{\"version\": 1, \"invitations\": [{\"email\": \"carol@example.com\"}]}";
        Files.writeString(store.file(), malformed);

        assertThatThrownBy(() -> store.invite("dave@example.com", "", List.of(), DAY, NOW))
                .isInstanceOf(IOException.class)
                .hasMessage(store.file() + ": invitations[0].created: missing or not a string");
        assertThatThrownBy(() -> store.pending(NOW)).isInstanceOf(IOException.class).hasMessageStartingWith(store.file() + ":");
        assertThatThrownBy(() -> store.take("x", NOW)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.withdraw("carol@example.com")).isInstanceOf(IOException.class);
        Files.writeString(store.file(), "not json");
        assertThatThrownBy(() -> store.find("x", NOW)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(store.file() + ": not JSON");
        assertThat(Files.readString(store.file(), StandardCharsets.UTF_8)).isEqualTo("not json");
    }

    @Test
    void anAbsentFileHasNoInvitations() throws Exception {
        Invitations store = invitations();

        assertThat(store.pending(NOW)).isEmpty();
        assertThat(store.find("x", NOW)).isEmpty();
        assertThat(store.take("x", NOW)).isEmpty();
        assertThat(store.withdraw("carol@example.com")).isFalse();
        assertThat(store.file()).doesNotExist();
    }
}
