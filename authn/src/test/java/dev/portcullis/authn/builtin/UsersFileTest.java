package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {

    static final String HASH =
            "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

    private static final String EXAMPLE = """
            # Portcullis built-in users. Manage with: portcullis users add|list|remove|passwd
            users:
              - email: alice@example.com
                name: Alice
                groups: [family, admins]
                password: %s
                totp: JBSWY3DPEHPK3PXP     # optional
              - email: Bob@Example.com
                password: %s
            """.formatted(HASH, HASH);

    @TempDir
    Path directory;

    @Test
    void readsTheDocumentedFormat() throws Exception {
        UsersFile file = UsersFile.parse(EXAMPLE, "users.yaml");

        assertThat(file.users()).hasSize(2);
        BuiltinUser alice = file.users().get(0);
        assertThat(alice.email()).isEqualTo("alice@example.com");
        assertThat(alice.name()).isEqualTo("Alice");
        assertThat(alice.groups()).containsExactly("family", "admins");
        assertThat(alice.passwordHash()).contains(HASH);
        assertThat(alice.totpSecret()).contains("JBSWY3DPEHPK3PXP");
        BuiltinUser bob = file.users().get(1);
        assertThat(bob.name()).isEmpty();
        assertThat(bob.groups()).isEmpty();
        assertThat(bob.totpSecret()).isEmpty();
    }

    @Test
    void findsUsersWhateverTheCaseOfTheEmail() throws Exception {
        UsersFile file = UsersFile.parse(EXAMPLE, "users.yaml");

        assertThat(file.find("BOB@example.COM")).map(BuiltinUser::email).contains("Bob@Example.com");
        assertThat(file.find("ALICE@EXAMPLE.COM")).isPresent();
        assertThat(file.find("carol@example.com")).isEmpty();
    }

    @Test
    void anEmptyFileOrListHasNoUsers() throws Exception {
        assertThat(UsersFile.parse("", "users.yaml").users()).isEmpty();
        assertThat(UsersFile.parse("# only a comment\n", "users.yaml").users()).isEmpty();
        assertThat(UsersFile.parse("users:\n", "users.yaml").users()).isEmpty();
        assertThat(UsersFile.parse("users: []\n", "users.yaml").users()).isEmpty();
    }

    @Test
    void aMissingEmailIsReportedWithItsLine() {
        String yaml = """
                # users
                users:
                  - email: alice@example.com
                    password: %s
                  - email: bob@example.com
                    password: %s
                  - name: Carol
                    password: %s
                """.formatted(HASH, HASH, HASH);

        assertThatThrownBy(() -> UsersFile.parse(yaml, "users.yaml"))
                .isInstanceOf(UsersFileException.class)
                .hasMessage("users.yaml:7: users[2].email: missing (expected: an address like alice@example.com)")
                .satisfies(e -> assertThat(((UsersFileException) e).line()).isEqualTo(7));
    }

    @Test
    void eachProblemNamesItsLineAndPath() {
        assertProblem("users:\n  - email: alice\n    password: " + HASH + "\n",
                "u.yaml:2: users[0].email: \"alice\" (expected: an address like alice@example.com)");
        assertProblem("users:\n  - email: a@b.c\n    password: hunter2\n",
                "u.yaml:3: users[0].password: not an Argon2id hash like $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"
                        + " (expected: the output of portcullis users add or passwd)");
        assertProblem("users:\n  - email: a@b.c\n    password: " + HASH + "\n    totp: 123\n",
                "u.yaml:4: users[0].totp: not a TOTP secret (expected: at least 16 base32 characters,"
                        + " letters A-Z and digits 2-7)");
        assertProblem("users:\n  - email: a@b.c\n    password: " + HASH + "\n    pasword: x\n",
                "u.yaml:4: users[0].pasword: unknown key (expected: one of email, groups, name, password, totp)");
        assertProblem("users:\n  - email: a@b.c\n    groups: admins\n    password: " + HASH + "\n",
                "u.yaml:3: users[0].groups: \"admins\" (expected: a list like [family, admins])");
        assertProblem("users:\n  - email: a@b.c\n    name: [A]\n    password: " + HASH + "\n",
                "u.yaml:3: users[0].name: a list (expected: text)");
        assertProblem("users:\n  - email: a@b.c\n    email: d@e.f\n    password: " + HASH + "\n",
                "u.yaml:3: users[0].email: given twice");
        assertProblem("people:\n  - email: a@b.c\n", "u.yaml:1: people: unknown key (expected: one of users)");
        assertProblem("users: alice\n", "u.yaml:1: users: \"alice\" (expected: a list of users)");
        assertProblem("- a\n- b\n", "u.yaml:1: the file: a list (expected: users: followed by a list of users)");
        assertProblem("users:\n  - alice@example.com\n",
                "u.yaml:2: users[0]: \"alice@example.com\" (expected: email, name, groups, password, totp)");
    }

    @Test
    void aUserWithoutPasswordSignsInWithPasskeysOnlyAndIsWrittenBackWithoutOne() throws Exception {
        UsersFile file = UsersFile.parse("users:\n  - email: carol@example.com\n    name: Carol\n", "u.yaml");

        assertThat(file.find("carol@example.com").orElseThrow().passwordHash()).isEmpty();
        assertThat(file.toYaml()).endsWith("users:\n  - email: carol@example.com\n    name: Carol\n");
        assertThat(UsersFile.parse(file.toYaml(), "again").users()).isEqualTo(file.users());
    }

    @Test
    void aRepeatedEmailIsRefusedWhateverItsCase() {
        String yaml = "users:\n  - email: a@b.c\n    password: " + HASH + "\n  - email: A@B.C\n    password: " + HASH + "\n";

        assertProblem(yaml, "u.yaml:4: users[1].email: A@B.C is already users[0] (expected: each email once)");
    }

    @Test
    void invalidYamlIsReportedWithItsLine() {
        assertThatThrownBy(() -> UsersFile.parse("users:\n  - email: a@b.c\n   password: [\n", "u.yaml"))
                .isInstanceOf(UsersFileException.class)
                .hasMessageStartingWith("u.yaml:3: not valid YAML: ");
    }

    @Test
    void aProblemMessageNeverShowsAHashOrSecret() {
        String yaml = "users:\n  - email: a@b.c\n    password: $argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHQ$c2VjcmV0c2VjcmV0c2Vj\n"
                + "    totp: SECRETSECRET1\n";

        assertThatThrownBy(() -> UsersFile.parse(yaml, "u.yaml"))
                .hasMessageNotContaining("c2VjcmV0")
                .hasMessageNotContaining("SECRETSECRET1");
    }

    @Test
    void readNamesAMissingFile() {
        Path missing = directory.resolve("users.yaml");

        assertThatThrownBy(() -> UsersFile.read(missing))
                .isInstanceOf(UsersFileException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void writeThenReadGivesTheSameUsersAndHeader() throws Exception {
        Path path = directory.resolve("users.yaml");
        Files.writeString(path, EXAMPLE);
        UsersFile original = UsersFile.read(path);
        BuiltinUser odd = new BuiltinUser("carol+nas@example.com", "Carol \"C\" O'Neil: admin #1",
                List.of("a,b", "yes", "123", "- x", "ünïcode"), Optional.of(HASH), Optional.empty());

        original.with(odd).write(path);
        UsersFile again = UsersFile.read(path);

        assertThat(again.users()).containsExactlyElementsOf(original.with(odd).users());
        assertThat(Files.readString(path)).startsWith(
                "# Portcullis built-in users. Manage with: portcullis users add|list|remove|passwd\nusers:\n"
                        + "  - email: alice@example.com\n    name: Alice\n    groups: [family, admins]\n");
    }

    @Test
    void writeKeepsTheHeaderCommentAndMakesAnOwnerOnlyFile() throws Exception {
        Path path = directory.resolve("users.yaml");
        Files.writeString(path, "# My family\n#\n# edit with care\n\nusers: []\n");

        UsersFile.read(path).with(new BuiltinUser("a@b.c", "A", List.of(), Optional.of(HASH), Optional.empty())).write(path);

        assertThat(Files.readString(path)).startsWith("# My family\n#\n# edit with care\nusers:\n  - email: a@b.c\n");
        if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
        }
        try (var files = Files.list(directory)) { // no temporary file left, only the lock file of the next writers
            assertThat(files).containsExactlyInAnyOrder(path, directory.resolve(".users.yaml.lock"));
        }
    }

    @Test
    void withReplacesInPlaceAndWithoutRemoves() throws Exception {
        UsersFile file = UsersFile.parse(EXAMPLE, "users.yaml");
        BuiltinUser newBob = new BuiltinUser("bob@example.com", "Bob", List.of("kids"), Optional.of(HASH), Optional.empty());

        UsersFile changed = file.with(newBob);

        assertThat(changed.users()).extracting(BuiltinUser::email).containsExactly("alice@example.com", "bob@example.com");
        assertThat(changed.without("ALICE@example.com").users()).containsExactly(newBob);
        assertThat(changed.without("nobody@example.com")).isSameAs(changed);
        assertThat(file.users()).hasSize(2).extracting(BuiltinUser::name).containsExactly("Alice", "");
    }

    @Test
    void anEmptyFileWritesAnEmptyList() throws IOException, UsersFileException {
        Path path = directory.resolve("new.yaml");

        UsersFile.empty().write(path);

        assertThat(Files.readString(path)).isEqualTo(
                "# Portcullis built-in users. Manage with: portcullis users add|list|remove|passwd\nusers: []\n");
        assertThat(UsersFile.read(path).users()).isEmpty();
    }

    @Test
    void toStringHidesTheHashAndSecret() {
        BuiltinUser user = new BuiltinUser("a@b.c", "A", List.of(), Optional.of(HASH), Optional.of("JBSWY3DPEHPK3PXP"));

        assertThat(user.toString()).doesNotContain(HASH).doesNotContain("c29tZXNhbHQ").doesNotContain("JBSWY3DPEHPK3PXP");
    }

    private static void assertProblem(String yaml, String message) {
        assertThatThrownBy(() -> UsersFile.parse(yaml, "u.yaml"))
                .isInstanceOf(UsersFileException.class)
                .hasMessage(message);
    }
}
