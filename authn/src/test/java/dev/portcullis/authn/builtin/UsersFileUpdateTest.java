package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UsersFile#update}: concurrent writers, in this process and another, keep each other's changes. */
class UsersFileUpdateTest {

    @TempDir
    Path directory;

    @Test
    void anAbsentFileIsEmptyAndTheResultIsWrittenOwnerOnly() throws Exception {
        Path file = directory.resolve("users.yaml");

        UsersFile written = UsersFile.update(file, users -> users.with(user("alice")));

        assertThat(written.users()).containsExactly(user("alice"));
        assertThat(UsersFile.read(file).users()).containsExactly(user("alice"));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void aChangeThatThrowsWritesNothing() throws Exception {
        Path file = directory.resolve("users.yaml");
        UsersFile.update(file, users -> users.with(user("alice")));
        String before = Files.readString(file);

        assertThatThrownBy(() -> UsersFile.update(file, users -> {
            throw new IllegalStateException("alice is there already");
        })).isInstanceOf(IllegalStateException.class).hasMessage("alice is there already");
        assertThatThrownBy(() -> UsersFile.update(directory.resolve("new.yaml"), users -> {
            throw new IllegalStateException("no");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(Files.readString(file)).isEqualTo(before);
        assertThat(directory.resolve("new.yaml")).doesNotExist();
    }

    @Test
    void aMalformedFileIsReportedAndNeverOverwritten() throws Exception {
        Path file = directory.resolve("users.yaml");
        String malformed = "users:\n  - email: alice@example.com\n    pasword: x\n";
        Files.writeString(file, malformed);

        assertThatThrownBy(() -> UsersFile.update(file, users -> users.with(user("bob"))))
                .isInstanceOf(UsersFileException.class)
                .hasMessageStartingWith(file + ":3: users[0].pasword: unknown key");
        assertThat(Files.readString(file)).isEqualTo(malformed);
    }

    @Test
    void aSymbolicLinkIsFollowed() throws Exception {
        Path real = Files.createDirectory(directory.resolve("data")).resolve("users.yaml");
        UsersFile.update(real, users -> users.with(user("alice")));
        Path link = Files.createSymbolicLink(directory.resolve("users.yaml"), real);

        UsersFile.update(link, users -> users.with(user("bob")));

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(UsersFile.read(real).users()).containsExactly(user("alice"), user("bob"));
    }

    @Test
    void threadsChangingTheFileAtOnceKeepEachOthersChanges() throws Exception {
        Path file = directory.resolve("users.yaml");
        int writers = 4;
        int rounds = 25;
        ExecutorService threads = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String prefix = "writer" + w + "-";
                work.add(() -> {
                    for (int i = 0; i < rounds; i++) {
                        BuiltinUser added = user(prefix + i);
                        UsersFile.update(file, users -> users.with(added));
                    }
                    return null;
                });
            }
            for (Future<Void> done : threads.invokeAll(work)) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(UsersFile.read(file).users()).hasSize(writers * rounds);
    }

    @Test
    void twoProcessesChangingTheFileAtOnceKeepEachOthersChanges() throws Exception {
        Path file = directory.resolve("users.yaml");
        int rounds = 60;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                UsersFileWriter.class.getName(), file.toString(), "other", String.valueOf(rounds))
                .redirectErrorStream(true).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(file) && other.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // start writing only once the other process writes too, so the two overlap
        }
        for (int i = 0; i < rounds; i++) {
            BuiltinUser added = user("this" + i);
            UsersFile.update(file, users -> users.with(added));
        }
        String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(other.waitFor()).as(output).isZero();

        List<BuiltinUser> users = UsersFile.read(file).users();
        assertThat(users).hasSize(2 * rounds);
        assertThat(users).extracting(BuiltinUser::email).contains("other0@example.com", "this0@example.com",
                "other" + (rounds - 1) + "@example.com", "this" + (rounds - 1) + "@example.com");
    }

    private static BuiltinUser user(String local) {
        return new BuiltinUser(local + "@example.com", "", List.of(), Optional.empty(), Optional.empty());
    }
}
