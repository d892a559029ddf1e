package dev.portcullis.authn.invitation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.invitation.InvitationAcceptance.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvitationAcceptanceTest {

    private static final String HASH =
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);

    @TempDir
    Path directory;

    private Path usersFile() {
        return directory.resolve("users.yaml");
    }

    private Invitations invitations() {
        return new Invitations(Invitations.besideUsersFile(usersFile()));
    }

    private InvitationAcceptance acceptance() {
        return new InvitationAcceptance(invitations(), usersFile());
    }

    @Test
    void aChosenPasswordMakesTheInvitedUserOnce() throws Exception {
        String token = invitations().invite("Carol@Example.com", "Carol", List.of("family"), DAY, NOW);

        Outcome first = acceptance().accept(token, Optional.of(HASH), NOW.plusSeconds(60));
        Outcome second = acceptance().accept(token, Optional.of(HASH), NOW.plusSeconds(61));

        BuiltinUser carol = new BuiltinUser("Carol@Example.com", "Carol", List.of("family"), Optional.of(HASH),
                Optional.empty());
        assertThat(first).isEqualTo(new Outcome.Accepted(carol));
        assertThat(UsersFile.read(usersFile()).users()).containsExactly(carol);
        assertThat(second).isEqualTo(new Outcome.Refused("unknown, used or expired invitation"));
    }

    @Test
    void aPasskeyInvitationMakesAUserWithoutPassword() throws Exception {
        String token = invitations().invite("carol@example.com", "", List.of(), DAY, NOW);

        Outcome outcome = acceptance().accept(token, Optional.empty(), NOW);

        assertThat(outcome).isInstanceOf(Outcome.Accepted.class);
        assertThat(UsersFile.read(usersFile()).find("carol@example.com").orElseThrow().passwordHash()).isEmpty();
        assertThat(Files.readString(usersFile())).doesNotContain("password");
    }

    @Test
    void anExpiredInvitationIsRefusedAndMakesNoUser() throws Exception {
        String token = invitations().invite("carol@example.com", "", List.of(), DAY, NOW);

        Outcome outcome = acceptance().accept(token, Optional.of(HASH), NOW.plus(DAY));

        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(usersFile()).doesNotExist();
    }

    @Test
    void anEmailThatIsAUserAlreadyIsRefusedTheInvitationUsedUpAndTheUserLeftAlone() throws Exception {
        BuiltinUser carol = new BuiltinUser("carol@example.com", "Carol", List.of("admins"), Optional.of(HASH),
                Optional.empty());
        UsersFile.update(usersFile(), users -> users.with(carol));
        String token = invitations().invite("CAROL@example.com", "Impostor", List.of(), DAY, NOW);

        Outcome outcome = acceptance().accept(token, Optional.empty(), NOW);

        assertThat(outcome).isEqualTo(new Outcome.Refused("CAROL@example.com is a user already"));
        assertThat(UsersFile.read(usersFile()).users()).containsExactly(carol);
        assertThat(invitations().pending(NOW)).isEmpty();
    }

    @Test
    void aMalformedPasswordHashIsRefusedBeforeTheInvitationIsUsed() throws Exception {
        String token = invitations().invite("carol@example.com", "", List.of(), DAY, NOW);

        assertThatThrownBy(() -> acceptance().accept(token, Optional.of("hunter2"), NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("passwordHash: ");
        assertThat(invitations().find(token, NOW)).isPresent();
    }
}
