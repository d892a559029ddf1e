package dev.portcullis.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.invitation.Invitation;
import dev.portcullis.authn.invitation.Invitations;
import dev.portcullis.authn.passkey.PasskeyCredential;
import dev.portcullis.authn.passkey.PasskeyStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code portcullis users invite}, {@code list} with passkeys and invitations, {@code remove} of passkeys and
 * invitations, {@code passkeys reset}, and passkey-only users; driven without a console at a fixed time.
 */
class UsersInvitationsCommandTest {

    private static final String SECRET = "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=";
    private static final String HASH =
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");
    private static final Pattern LINK = Pattern.compile("(https?://\\S+)/\\.pomerium/builtin/invitation\\?token=([A-Za-z0-9_-]{43})\n");

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(Map<String, String> env, Instant now, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new UsersCommand(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                Optional.empty(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.fixed(now, ZoneOffset.UTC)).run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return run(Map.of("AUTHENTICATE_SERVICE_URL", "https://auth.example.com/some/path"), NOW, "", args);
    }

    private Path usersFile() {
        return dir.resolve("users.yaml");
    }

    private String file() {
        return usersFile().toString();
    }

    private Invitations invitations() {
        return new Invitations(Invitations.besideUsersFile(usersFile()));
    }

    private PasskeyStore passkeys() {
        return new PasskeyStore(PasskeyStore.besideUsersFile(usersFile()));
    }

    private static String token(Run run) {
        Matcher link = LINK.matcher(run.out());
        assertThat(link.find()).as(run.out()).isTrue();
        return link.group(2);
    }

    @Test
    void invitePrintsASingleUseLinkOnTheAuthenticateOriginAndWhenItExpires() throws Exception {
        Run result = run("invite", "Carol@Example.com", "--name", "Carol", "--groups", "family, kids", "--valid", "7d",
                "--users-file", file());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).startsWith("invited Carol@Example.com until 2026-12-15T00:00:00Z; send them this"
                + " single-use link:\nhttps://auth.example.com/.pomerium/builtin/invitation?token=");
        Invitation invitation = invitations().find(token(result), NOW).orElseThrow();
        assertThat(invitation.name()).isEqualTo("Carol");
        assertThat(invitation.groups()).containsExactly("family", "kids");
        assertThat(invitation.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        assertThat(Files.readString(invitations().file())).doesNotContain(token(result));
        assertThat(usersFile()).doesNotExist();
    }

    @Test
    void theLinkWorksOnceAndForTheDefault24Hours() throws Exception {
        String token = token(run("invite", "carol@example.com", "--users-file", file()));

        assertThat(invitations().find(token, NOW.plus(Duration.ofHours(24)).minusSeconds(1))).isPresent();
        assertThat(invitations().find(token, NOW.plus(Duration.ofHours(24)))).isEmpty();
        assertThat(invitations().take(token, NOW)).isPresent();
        assertThat(invitations().take(token, NOW)).isEmpty();
    }

    @Test
    void theConfigurationGivesTheOriginAndTheEnvironmentWins() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                cookie_secret: %1$s
                shared_secret: %1$s
                insecure_server: true
                idp_provider: builtin
                builtin_users_file: %2$s
                authenticate_service_url: https://authenticate.localhost:8443/
                routes:
                  - from: https://app.localhost
                    to: http://app
                    allowed_users: [alice@example.com]
                """.formatted(SECRET, usersFile()));

        // Before the users file exists the configuration does not load: the key is read alone.
        Run before = run(Map.of(), NOW, "", "invite", "carol@example.com", "--config", config.toString());
        Files.writeString(usersFile(), "users: []\n");
        Run loaded = run(Map.of(), NOW, "", "invite", "dave@example.com", "--config", config.toString());
        Run overridden = run(Map.of("AUTHENTICATE_SERVICE_URL", "https://login.example.net"), NOW, "", "invite",
                "erin@example.com", "--config", config.toString());

        assertThat(before.out()).as(before.err()).contains("\nhttps://authenticate.localhost:8443/.pomerium/builtin/invitation?token=");
        assertThat(loaded.out()).as(loaded.err()).contains("\nhttps://authenticate.localhost:8443/.pomerium/builtin/invitation?token=");
        assertThat(overridden.out()).as(overridden.err()).contains("\nhttps://login.example.net/.pomerium/builtin/invitation?token=");
        assertThat(invitations().pending(NOW)).extracting(Invitation::email)
                .containsExactly("carol@example.com", "dave@example.com", "erin@example.com");
    }

    @Test
    void inviteWithoutAnAuthenticateUrlSaysWhatToGive() {
        Run result = run(Map.of(), NOW, "", "invite", "carol@example.com", "--users-file", file());
        Run bad = run(Map.of("AUTHENTICATE_SERVICE_URL", "auth.example.com"), NOW, "", "invite", "carol@example.com",
                "--users-file", file());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("portcullis users: an invitation link needs the authenticate service's URL:"
                + " give --config FILE with authenticate_service_url, or set AUTHENTICATE_SERVICE_URL\n");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("\"auth.example.com\" (expected: a URL like https://authenticate.example.com)");
        assertThat(invitations().file()).doesNotExist();
    }

    @Test
    void validityIsMinutesHoursOrDaysUpToThirtyDays() throws Exception {
        assertThat(run("invite", "a@example.com", "--valid", "30m", "--users-file", file()).out())
                .startsWith("invited a@example.com until 2026-12-08T00:30:00Z;");
        assertThat(run("invite", "b@example.com", "--valid", "30d", "--users-file", file()).code()).isZero();
        for (String refused : List.of("0m", "0d", "-1h", "31d", "721h", "24", "1w", "h")) {
            Run result = run("invite", "c@example.com", "--valid", refused, "--users-file", file());
            assertThat(result.code()).as(refused).isEqualTo(2);
            assertThat(result.err()).as(refused).startsWith("portcullis users: --valid: \"" + refused + "\" (expected:"
                    + " minutes, hours or days like 30m, 24h or 7d; more than 0, at most 30d)\n").contains("Usage");
        }
        assertThat(invitations().pending(NOW)).extracting(Invitation::email).containsExactly("a@example.com", "b@example.com");
    }

    @Test
    void inviteRefusesAUserAndABadEmail() throws Exception {
        UsersFile.update(usersFile(), users -> users.with(user("alice@example.com", Optional.of(HASH))));

        Run user = run("invite", "ALICE@example.com", "--users-file", file());
        Run badEmail = run("invite", "alice", "--users-file", file());

        assertThat(user.code()).isEqualTo(2);
        assertThat(user.err()).isEqualTo("portcullis users: ALICE@example.com is already a user in " + file()
                + " (set a password with \"portcullis users passwd ALICE@example.com\", or let them register a passkey"
                + " again after \"portcullis users passkeys reset ALICE@example.com\")\n");
        assertThat(badEmail.code()).isEqualTo(2);
        assertThat(badEmail.err()).contains("email: \"alice\" (expected: an address like alice@example.com)");
        assertThat(invitations().file()).doesNotExist();
    }

    @Test
    void listShowsPasskeysUsersWithoutPasswordAndPendingInvitations() throws Exception {
        UsersFile.update(usersFile(), users -> users
                .with(new BuiltinUser("alice@example.com", "Alice", List.of("admins"), Optional.of(HASH),
                        Optional.of("JBSWY3DPEHPK3PXP")))
                .with(user("bob@example.com", Optional.empty()))
                .with(user("carol@example.com", Optional.empty())));
        PasskeyStore store = passkeys();
        store.userHandleFor("alice@example.com");
        store.add(passkey("alice@example.com", "cGhvbmU", "Phone", Optional.of(NOW.minusSeconds(3600))));
        store.add(passkey("alice@example.com", "a2V5", "", Optional.empty()));
        store.userHandleFor("bob@example.com");
        store.add(passkey("bob@example.com", "Ym9i", "Laptop", Optional.empty()));
        run("invite", "dave@example.com", "--name", "Dave", "--groups", "family", "--users-file", file());
        run(Map.of("AUTHENTICATE_SERVICE_URL", "https://auth.example.com"), NOW.minus(Duration.ofDays(2)), "",
                "invite", "expired@example.com", "--users-file", file());

        Run result = run("list", "--users-file", file());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                alice@example.com  Alice  admins  totp
                    passkey "Phone", created 2026-12-07T20:00:00Z, last used 2026-12-07T23:00:00Z
                    passkey (unnamed), created 2026-12-07T20:00:00Z, last used never
                bob@example.com           -  passkey only
                    passkey "Laptop", created 2026-12-07T20:00:00Z, last used never
                carol@example.com         -  no way to sign in

                Pending invitations:
                dave@example.com   Dave   family  expires 2026-12-09T00:00:00Z
                """);
    }

    @Test
    void listWithOnlyInvitationsSaysThereAreNoUsers() throws Exception {
        run("invite", "dave@example.com", "--users-file", file());
        Files.writeString(usersFile(), "users: []\n");

        assertThat(run("list", "--users-file", file()).out()).isEqualTo("no users in " + file() + "\n\n"
                + "Pending invitations:\ndave@example.com    -  expires 2026-12-09T00:00:00Z\n");
    }

    @Test
    void removeTakesTheUsersPasskeysAndInvitationToo() throws Exception {
        UsersFile.update(usersFile(), users -> users.with(user("alice@example.com", Optional.of(HASH)))
                .with(user("bob@example.com", Optional.of(HASH))));
        PasskeyStore store = passkeys();
        store.userHandleFor("alice@example.com");
        store.add(passkey("alice@example.com", "cGhvbmU", "Phone", Optional.empty()));
        store.add(passkey("alice@example.com", "a2V5", "Key", Optional.empty()));
        store.userHandleFor("bob@example.com");
        store.add(passkey("bob@example.com", "Ym9i", "Laptop", Optional.empty()));
        String carolToken = token(run("invite", "carol@example.com", "--users-file", file()));
        invitations().invite("Alice@example.com", "", List.of(), Duration.ofHours(1), NOW); // e.g. made before she was added

        Run alice = run("remove", "alice@example.com", "--users-file", file());
        Run carol = run("remove", "Carol@Example.com", "--users-file", file());
        Run nobody = run("remove", "nobody@example.com", "--users-file", file());

        assertThat(alice.code()).isZero();
        assertThat(alice.out()).isEqualTo("removed alice@example.com from " + file()
                + " and 2 passkeys; withdrew the pending invitation\n");
        assertThat(carol.code()).isZero();
        assertThat(carol.out()).isEqualTo("withdrew the pending invitation of Carol@Example.com (not a user)\n");
        assertThat(nobody.code()).isEqualTo(2);
        assertThat(nobody.err()).isEqualTo("portcullis users: no user nobody@example.com in " + file() + "\n");
        assertThat(UsersFile.read(usersFile()).users()).extracting(BuiltinUser::email).containsExactly("bob@example.com");
        assertThat(passkeys().list("alice@example.com")).isEmpty();
        assertThat(passkeys().userHandle("alice@example.com")).isEmpty();
        assertThat(passkeys().list("bob@example.com")).hasSize(1);
        assertThat(invitations().find(carolToken, NOW)).isEmpty();
        assertThat(invitations().pending(NOW)).isEmpty();
    }

    @Test
    void passkeysResetRemovesAllPasskeysOfTheUserAndSaysHowMany() throws Exception {
        UsersFile.update(usersFile(), users -> users.with(user("alice@example.com", Optional.of(HASH))));
        PasskeyStore store = passkeys();
        store.userHandleFor("alice@example.com");
        store.add(passkey("alice@example.com", "cGhvbmU", "Phone", Optional.empty()));
        store.add(passkey("alice@example.com", "a2V5", "Key", Optional.empty()));
        store.userHandleFor("bob@example.com");
        store.add(passkey("bob@example.com", "Ym9i", "Laptop", Optional.empty()));

        Run first = run("passkeys", "reset", "ALICE@example.com", "--users-file", file());
        Run again = run("passkeys", "reset", "alice@example.com", "--users-file", file());

        assertThat(first.code()).isZero();
        assertThat(first.out()).isEqualTo("removed 2 passkeys of ALICE@example.com\n");
        assertThat(again.out()).isEqualTo("removed 0 passkeys of alice@example.com\n");
        assertThat(store.list("alice@example.com")).isEmpty();
        assertThat(store.list("bob@example.com")).hasSize(1);
        assertThat(UsersFile.read(usersFile()).find("alice@example.com")).isPresent();
    }

    @Test
    void passwdGivesAPasskeyOnlyUserAPassword() throws Exception {
        UsersFile.update(usersFile(), users -> users.with(user("bob@example.com", Optional.empty())));

        Run result = run(Map.of(), NOW, "bob's new password\n", "passwd", "bob@example.com", "--users-file", file());

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("changed the password of bob@example.com in " + file() + "\n");
        String hash = UsersFile.read(usersFile()).find("bob@example.com").orElseThrow().passwordHash().orElseThrow();
        assertThat(PasswordHasher.verify("bob's new password".toCharArray(), hash)).isTrue();
    }

    private static BuiltinUser user(String email, Optional<String> hash) {
        return new BuiltinUser(email, "", List.of(), hash, Optional.empty());
    }

    private static PasskeyCredential passkey(String email, String id, String name, Optional<Instant> lastUsed) {
        return new PasskeyCredential(id, email, new byte[] {1, 2, 3}, 0, name, Instant.parse("2026-12-07T20:00:00Z"),
                lastUsed, List.of("internal"));
    }
}
