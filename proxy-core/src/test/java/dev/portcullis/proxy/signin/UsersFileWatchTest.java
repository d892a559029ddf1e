package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file read at start-up, re-read when it changes, and kept when a change is malformed. */
class UsersFileWatchTest {
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$v5Wwb6tIAqAUvJ0y2WGJ6w$"
            + "9wUrhlJIv2kHyKszFijPGunTmovExYROI7sPWbxm10U";

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("users.yaml"), yaml);
    }

    private static String user(String email) {
        return "  - email: " + email + "\n    password: " + HASH + "\n";
    }

    @Test
    void aMalformedFileRefusesStartUpNamingThePathAndLine() throws Exception {
        Path file = write("users:\n" + user("alice@example.com") + "  - name: Nobody\n");
        assertThatThrownBy(() -> UsersFileWatch.start(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("builtin_users_file: " + file + ":4: ");
    }

    @Test
    void aMissingFileRefusesStartUp() {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> UsersFileWatch.start(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("builtin_users_file: " + file + " cannot be read: no such file");
    }

    @Test
    void aChangedFileIsReadAgainAndAMalformedOneIsRefused() throws Exception {
        Path file = write("users:\n" + user("alice@example.com"));
        try (UsersFileWatch watch = UsersFileWatch.start(file, Duration.ofHours(1))) {
            assertThat(watch.get().find("alice@example.com")).isPresent();

            write("users:\n" + user("alice@example.com") + user("bob@example.com"));
            watch.check();
            assertThat(watch.get().users()).hasSize(2);

            write("users:\n  - email: bob@example.com\n    password: [not, text]\n");
            watch.check();
            assertThat(watch.get().users()).hasSize(2);

            Files.delete(file);
            watch.check();
            assertThat(watch.get().users()).hasSize(2);

            write("users:\n" + user("carol@example.com"));
            watch.check();
            assertThat(watch.get().users()).singleElement()
                    .satisfies(u -> assertThat(u.email()).isEqualTo("carol@example.com"));
        }
    }

    @Test
    void theWatchThreadPicksAChangeUpByItself() throws Exception {
        Path file = write("users: []\n");
        try (UsersFileWatch watch = UsersFileWatch.start(file, Duration.ofMillis(50))) {
            write("users:\n" + user("dave@example.com"));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (watch.get().users().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(watch.get().find("dave@example.com")).isPresent();
        }
    }

    @Test
    void aDemoFileIsRecognisedByItsCommentLine() {
        assertThat(UsersFileWatch.demoPassword("# Portcullis built-in users\n# demo password: portcullis-demo  \nusers: []\n"))
                .contains("portcullis-demo");
        assertThat(UsersFileWatch.demoPassword("users: []\n# the demo password is elsewhere\n")).isEmpty();
    }
}
