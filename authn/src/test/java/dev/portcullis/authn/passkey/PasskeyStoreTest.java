package dev.portcullis.authn.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.UsersFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasskeyStoreTest {

    private static final String HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$+LP4VseDa41QzqbYu0jSFQ$LXg8LQSoltDL7qp0bAOG7euU1vaV6QJlXj9Q9LmynJ8";
    private static final Instant CREATED = Instant.parse("2026-12-07T20:00:00Z");

    @TempDir
    Path directory;

    @Test
    void fileSitsBesideTheUsersFile() {
        assertThat(PasskeyStore.besideUsersFile(directory.resolve("users.yaml")))
                .isEqualTo(directory.resolve("users.passkeys.json"));
    }

    @Test
    void writesAreAtomicOwnerOnlyAndReadBack() throws Exception {
        Path file = directory.resolve("users.passkeys.json");
        PasskeyStore store = new PasskeyStore(file);
        store.userHandleFor("alice@example.com");
        PasskeyCredential phone = credential("alice@example.com", "cGhvbmU", "Phone");
        store.add(phone);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("users.passkeys.json", ".users.passkeys.json.lock");
        }
        assertThat(new PasskeyStore(file).list("Alice@Example.com")).containsExactly(phone);
        assertThat(PasskeyFile.parse(Files.readString(file), "f").credential("cGhvbmU")).contains(phone);
    }

    @Test
    void changesMadeByAnotherProcessAreReadAtTheNextRead() throws Exception {
        Path file = directory.resolve("users.passkeys.json");
        PasskeyStore proxy = new PasskeyStore(file);
        proxy.userHandleFor("alice@example.com");
        proxy.add(credential("alice@example.com", "cGhvbmU", "Phone"));
        assertThat(proxy.find("cGhvbmU")).isPresent();

        PasskeyStore commandLine = new PasskeyStore(file);
        assertThat(commandLine.resetFor("alice@example.com")).isEqualTo(1);

        assertThat(proxy.find("cGhvbmU")).isEmpty();
        assertThat(proxy.userHandle("alice@example.com")).isEmpty();
    }

    @Test
    void concurrentChangesAndUsersFileEditsAreAllKept() throws Exception {
        Path usersFile = directory.resolve("users.yaml");
        UsersFile.empty().write(usersFile);
        PasskeyStore store = new PasskeyStore(PasskeyStore.besideUsersFile(usersFile));
        store.userHandleFor("alice@example.com");
        store.add(credential("alice@example.com", "cGhvbmU", "Phone"));
        int rounds = 40;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            work.add(() -> { // the command line adding users, read-modify-write of the users file
                for (int i = 0; i < rounds; i++) {
                    UsersFile.read(usersFile).with(new BuiltinUser("user" + i + "@example.com", "", List.of(), Optional.of(HASH),
                            Optional.empty())).write(usersFile);
                }
                return null;
            });
            work.add(() -> { // the proxy recording sign-ins
                for (int i = 1; i <= rounds; i++) {
                    store.recordUse("alice@example.com", "cGhvbmU", i, CREATED.plusSeconds(i));
                }
                return null;
            });
            work.add(() -> { // the user registering more passkeys
                for (int i = 0; i < rounds; i++) {
                    store.add(credential("alice@example.com", "a2V5" + i, "Key " + i));
                }
                return null;
            });
            for (Future<Void> done : threads.invokeAll(work)) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(UsersFile.read(usersFile).users()).hasSize(rounds);
        PasskeyFile onDisk = PasskeyFile.parse(Files.readString(store.file()), "f");
        assertThat(onDisk.credentials("alice@example.com")).hasSize(rounds + 1);
        assertThat(onDisk.credential("cGhvbmU").orElseThrow().signCount()).isEqualTo(rounds);
        assertThat(onDisk.credential("cGhvbmU").orElseThrow().lastUsed()).contains(CREATED.plusSeconds(rounds));
    }

    @Test
    void twoProcessesChangingTheFileAtOnceKeepEachOthersChanges() throws Exception {
        Path file = directory.resolve("users.passkeys.json");
        PasskeyStore proxy = new PasskeyStore(file);
        proxy.userHandleFor("alice@example.com");
        proxy.add(credential("alice@example.com", "cGhvbmU", "Phone"));
        int rounds = 150;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PasskeyStoreWriter.class.getName(), file.toString(), "bob@example.com", "Ym9i", String.valueOf(rounds))
                .redirectErrorStream(true).start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (proxy.list("bob@example.com").isEmpty() && other.isAlive() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // start writing only once the other process writes too, so the two overlap
        }
        for (int i = 1; i <= rounds; i++) {
            proxy.recordUse("alice@example.com", "cGhvbmU", i, CREATED.plusSeconds(i));
        }
        String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(other.waitFor()).as(output).isZero();

        PasskeyFile onDisk = PasskeyFile.parse(Files.readString(file), "f");
        assertThat(onDisk.credentials("bob@example.com")).hasSize(rounds);
        assertThat(onDisk.credential("cGhvbmU").orElseThrow().signCount()).isEqualTo(rounds);
        assertThat(proxy.list("bob@example.com")).hasSize(rounds);
    }

    @Test
    void renamesAndRemovesOnlyTheOwnersPasskey() throws Exception {
        PasskeyStore store = new PasskeyStore(directory.resolve("p.json"));
        store.userHandleFor("alice@example.com");
        store.userHandleFor("bob@example.com");
        store.add(credential("alice@example.com", "YWxpY2U", "Phone"));

        assertThat(store.rename("bob@example.com", "YWxpY2U", "Mine")).isFalse();
        assertThat(store.remove("bob@example.com", "YWxpY2U")).isFalse();
        assertThat(store.rename("alice@example.com", "YWxpY2U", "Laptop")).isTrue();
        assertThat(store.find("YWxpY2U").orElseThrow().name()).isEqualTo("Laptop");
        assertThat(store.remove("alice@example.com", "YWxpY2U")).isTrue();
        assertThat(store.list("alice@example.com")).isEmpty();
    }

    @Test
    void counterNeverGoesDown() throws Exception {
        PasskeyStore store = new PasskeyStore(directory.resolve("p.json"));
        store.userHandleFor("alice@example.com");
        store.add(credential("alice@example.com", "YWxpY2U", "Phone"));
        store.recordUse("alice@example.com", "YWxpY2U", 9, CREATED);
        store.recordUse("alice@example.com", "YWxpY2U", 4, CREATED.plusSeconds(1));

        assertThat(store.find("YWxpY2U").orElseThrow().signCount()).isEqualTo(9);
    }

    @Test
    void malformedFileIsReportedAndNeverOverwritten() throws Exception {
        Path file = directory.resolve("p.json");
        Files.writeString(file, "{\"version\": 1, \"users\": [{\"email\": \"a@example.com\"}]}");
        PasskeyStore store = new PasskeyStore(file);

        assertThatThrownBy(() -> store.userHandleFor("b@example.com")).isInstanceOf(IOException.class)
                .hasMessage(file.toAbsolutePath() + ": users[0].handle: missing or not a string");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("a@example.com").doesNotContain("b@example.com");
    }

    private static PasskeyCredential credential(String email, String id, String name) {
        return new PasskeyCredential(id, email, new byte[] {1, 2, 3}, 0, name, CREATED, Optional.empty(), List.of("internal"));
    }
}
