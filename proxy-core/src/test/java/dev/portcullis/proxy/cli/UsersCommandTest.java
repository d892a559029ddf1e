package dev.portcullis.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.builtin.UsersFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis users} driven as a script would: the password on standard input, no console. */
class UsersCommandTest {

    private static final String SECRET = "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-08T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(Map<String, String> env, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new UsersCommand(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                Optional.empty(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK).run(List.of(args));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String stdin, String... args) {
        return run(Map.of(), stdin, args);
    }

    @Test
    void addCreatesTheFileWithTheHashOfTheLineOnStandardInput() throws Exception {
        Path file = dir.resolve("users.yaml");

        Run result = run("correct horse battery\n", "add", "alice@example.com", "--name", "Alice Liddell",
                "--groups", "family, admins", "--users-file", file.toString());

        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo("added alice@example.com to " + file + "\n");
        assertThat(result.err()).isEmpty();
        BuiltinUser alice = UsersFile.read(file).find("alice@example.com").orElseThrow();
        assertThat(alice.name()).isEqualTo("Alice Liddell");
        assertThat(alice.groups()).containsExactly("family", "admins");
        assertThat(alice.totpSecret()).isEmpty();
        assertThat(PasswordHasher.verify("correct horse battery".toCharArray(), alice.passwordHash().orElseThrow())).isTrue();
        assertThat(Files.readString(file)).startsWith("# Portcullis built-in users. Manage with: portcullis users"
                + " add|list|remove|passwd\nusers:\n  - email: alice@example.com\n    name: Alice Liddell\n");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void addWithTotpPrintsTheOtpauthUriAndAQrCode() throws Exception {
        Path file = dir.resolve("users.yaml");

        Run result = run("pässword with spaces\n", "add", "bob@example.com", "--totp", "--users-file", file.toString());

        assertThat(result.code()).isZero();
        String secret = UsersFile.read(file).find("bob@example.com").orElseThrow().totpSecret().orElseThrow();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(result.out()).contains("TOTP secret: " + secret + "\n")
                .contains("otpauth://totp/Portcullis:bob@example.com?secret=" + secret
                        + "&issuer=Portcullis&algorithm=SHA1&digits=6&period=30\n")
                .contains("█").contains("▀").contains("▄");
    }

    @Test
    void listShowsEachUserWithoutHashesOrSecrets() throws Exception {
        Path file = dir.resolve("users.yaml");
        run("password one\n", "add", "alice@example.com", "--name", "Alice", "--groups", "admins", "--totp",
                "--users-file", file.toString());
        run("password two\n", "add", "bob@example.com", "--users-file", file.toString());

        Run result = run("", "list", "--users-file", file.toString());

        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo("""
                alice@example.com  Alice  admins  totp
                bob@example.com           -
                """);
    }

    @Test
    void passwdChangesOnlyThePassword() throws Exception {
        Path file = dir.resolve("users.yaml");
        run("old password\n", "add", "alice@example.com", "--groups", "family", "--totp", "--users-file", file.toString());
        BuiltinUser before = UsersFile.read(file).users().get(0);

        Run result = run("new password\n", "passwd", "ALICE@example.com", "--users-file", file.toString());

        assertThat(result.code()).isZero();
        assertThat(result.out()).isEqualTo("changed the password of alice@example.com in " + file + "\n");
        BuiltinUser after = UsersFile.read(file).users().get(0);
        assertThat(PasswordHasher.verify("new password".toCharArray(), after.passwordHash().orElseThrow())).isTrue();
        assertThat(PasswordHasher.verify("old password".toCharArray(), after.passwordHash().orElseThrow())).isFalse();
        assertThat(after.totpSecret()).isEqualTo(before.totpSecret());
        assertThat(after.groups()).isEqualTo(before.groups());
    }

    @Test
    void removeTakesTheUserOut() throws Exception {
        Path file = dir.resolve("users.yaml");
        run("password one\n", "add", "alice@example.com", "--users-file", file.toString());
        run("password two\n", "add", "bob@example.com", "--users-file", file.toString());

        Run result = run("", "remove", "alice@example.com", "--users-file", file.toString());

        assertThat(result.code()).isZero();
        assertThat(UsersFile.read(file).users()).extracting(BuiltinUser::email).containsExactly("bob@example.com");
        Run again = run("", "remove", "alice@example.com", "--users-file", file.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).isEqualTo("portcullis users: no user alice@example.com in " + file + "\n");
    }

    @Test
    void refusesAUserTwiceAnEmptyPasswordAndABadEmailLeavingTheFileAlone() throws Exception {
        Path file = dir.resolve("users.yaml");
        run("password one\n", "add", "alice@example.com", "--users-file", file.toString());
        String before = Files.readString(file);

        Run twice = run("password two\n", "add", "Alice@Example.com", "--users-file", file.toString());
        Run empty = run("", "add", "bob@example.com", "--users-file", file.toString());
        Run blank = run("\n", "add", "bob@example.com", "--users-file", file.toString());
        Run badEmail = run("password\n", "add", "bob", "--users-file", file.toString());

        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("Alice@Example.com is already in " + file);
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("standard input is empty");
        assertThat(blank.code()).isEqualTo(2);
        assertThat(blank.err()).contains("the password is empty");
        assertThat(badEmail.code()).isEqualTo(2);
        assertThat(badEmail.err()).contains("email: \"bob\" (expected: an address like alice@example.com)");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void aMalformedFileIsReportedWithItsLineAndLeftAlone() throws Exception {
        Path file = dir.resolve("users.yaml");
        String malformed = "users:\n  - email: alice@example.com\n    pasword: x\n";
        Files.writeString(file, malformed);

        Run result = run("password\n", "add", "bob@example.com", "--users-file", file.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("portcullis users: " + file
                + ":3: users[0].pasword: unknown key (expected: one of email, groups, name, password, totp)\n");
        assertThat(Files.readString(file)).isEqualTo(malformed);
        assertThat(run("", "list", "--users-file", dir.resolve("missing.yaml").toString()).err())
                .isEqualTo("portcullis users: " + dir.resolve("missing.yaml") + ": no such file\n");
    }

    @Test
    void theConfigurationNamesTheFileBeforeAndAfterItExists() throws Exception {
        Path file = dir.resolve("users.yaml");
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                cookie_secret: %1$s
                shared_secret: %1$s
                insecure_server: true
                idp_provider: builtin
                builtin_users_file: %2$s
                authenticate_service_url: https://authenticate.localhost
                routes:
                  - from: https://app.localhost
                    to: http://app
                    allowed_users: [alice@example.com]
                """.formatted(SECRET, file));

        // The users file does not exist yet, so the configuration does not load: the key is read alone.
        Run first = run("password one\n", "add", "alice@example.com", "--config", config.toString());
        // Now it loads, and the file comes from its options.
        Run second = run("password two\n", "add", "bob@example.com", "--config", config.toString());

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(UsersFile.read(file).users()).extracting(BuiltinUser::email)
                .containsExactly("alice@example.com", "bob@example.com");
    }

    @Test
    void theEnvironmentNamesTheFileWhenNoOptionDoes() throws Exception {
        Path file = dir.resolve("from-env.yaml");

        Run result = run(Map.of("BUILTIN_USERS_FILE", file.toString()), "password\n", "add", "carol@example.com");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(UsersFile.read(file).find("carol@example.com")).isPresent();
    }

    @Test
    void aConfigurationWithoutUsersFileIsAnError() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "insecure_server: true\n");

        Run result = run("password\n", "add", "alice@example.com", "--config", config.toString());

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("portcullis users: " + config + " names no users file");
    }

    @Test
    void usageErrorsExitTwoWithTheUsage() {
        assertUsage(run(""), "users needs add, invite, list, remove, passwd or passkeys reset");
        assertUsage(run("", "passkeys", "list", "a@b.c"), "users passkeys needs reset EMAIL");
        assertUsage(run("", "passkeys", "reset", "--users-file", "x"), "users passkeys reset needs an EMAIL");
        assertUsage(run("", "add", "a@b.c", "--valid", "1h", "--users-file", "x"), "--valid with invite");
        assertUsage(run("", "passwd", "a@b.c", "--groups", "a", "--users-file", "x"), "--name and --groups go with add or invite");
        assertUsage(run("", "rename", "a@b.c"), "users: unknown action \"rename\"");
        assertUsage(run("", "add", "--users-file", "x.yaml"), "users add needs an EMAIL");
        assertUsage(run("", "add", "a@b.c"), "users needs --users-file FILE or --config FILE");
        assertUsage(run("", "add", "a@b.c", "--users-file", "x", "--config", "y"), "not both");
        assertUsage(run("", "list", "--name", "A", "--users-file", "x"), "--name and --groups go with add");
        assertUsage(run("", "add", "a@b.c", "--bogus"), "users add: unknown argument \"--bogus\"");
        assertUsage(run("", "add", "a@b.c", "--name"), "--name needs a value");
    }

    @Test
    void mainDispatchesUsersAndItsHelpListsIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("users", "list"), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("users needs --users-file FILE or --config FILE");
        assertThat(CommandLine.USAGE).contains("portcullis users add EMAIL [--name N] [--groups a,b] [--totp]")
                .contains("portcullis users invite EMAIL [--name N] [--groups a,b] [--valid 24h]")
                .contains("portcullis users passkeys reset EMAIL");
    }

    private static void assertUsage(Run result, String message) {
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).startsWith("portcullis users: ").contains(message).contains("Usage").isNotEmpty();
    }
}
