package dev.portcullis.authn.store.postgres;

import dev.portcullis.authn.store.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * The system's PostgreSQL (Debian's {@code postgresql} package), run by a test on a loopback port from a cluster that
 * {@code initdb} makes in a temporary directory (with the Unix socket in it too), with a superuser
 * {@value #USER} whose password is {@link #PASSWORD} over TCP ({@code scram-sha-256}).
 *
 * <p>initdb and postgres refuse to run as root: when the tests do, every command runs as the {@code postgres} user
 * ({@code runuser -u postgres --}) in a directory handed to it. It can be stopped and started again on the same port
 * with its data ({@code pg_ctl}), paused ({@code SIGSTOP} to every process of the cluster) to stand for a server
 * that accepts connections but never answers, and asked SQL directly ({@link #execute}) to make a "data loss".
 * {@link #close} stops it and deletes its directory.
 */
public final class TestPostgres implements TestServer {
    public static final String USER = "portcullis";
    public static final String PASSWORD = "s3cret-Postgres-pw";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BIND_ATTEMPTS = 3;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final boolean asRoot;
    private int port;
    private boolean running;
    private List<Long> paused = List.of();

    private TestPostgres(Path bin, Path dir) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.asRoot = "root".equals(System.getProperty("user.name"));
    }

    /** A new cluster, started on a free port. */
    public static TestPostgres start() throws IOException, InterruptedException {
        TestPostgres postgres = new TestPostgres(binaries(), Files.createTempDirectory("portcullis-postgres-"));
        try {
            postgres.initdb();
            postgres.startOnAFreePort();
            return postgres;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            postgres.close();
            throw e;
        }
    }

    /** A new cluster that is not running yet: {@link #jdbcUrl} names its port, {@link #startAgain} starts it there. */
    public static TestPostgres notStarted() throws IOException, InterruptedException {
        TestPostgres postgres = new TestPostgres(binaries(), Files.createTempDirectory("portcullis-postgres-"));
        try {
            postgres.initdb();
            postgres.port = freePort();
            return postgres;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            postgres.close();
            throw e;
        }
    }

    private void initdb() throws IOException, InterruptedException {
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
        if (asRoot) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"), true);
        Files.delete(passwordFile);
    }

    private void startOnAFreePort() throws IOException, InterruptedException {
        String log = "";
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            port = freePort();
            if (launch()) {
                return;
            }
            log = log();
            if (!log.contains("could not bind")) {
                break;
            }
        }
        Assertions.fail("postgres did not start; its log:\n" + log);
    }

    /** Starts PostgreSQL again on the same port with its data (after {@link #stop}, or after {@link #notStarted}). */
    @Override
    public void startAgain() throws IOException, InterruptedException {
        if (!launch()) {
            Assertions.fail("postgres did not start again on port " + port + "; its log:\n" + log());
        }
    }

    private boolean launch() throws IOException, InterruptedException {
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c max_connections=200";
        int exit = run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                dir.resolve("postgres.log").toString(), "-w", "-t", Long.toString(WAIT.toSeconds()), "-o", options,
                "start"), true, false);
        running = exit == 0;
        return running;
    }

    /** Stops PostgreSQL ({@code pg_ctl stop -m fast}: sessions are ended); its data stays for {@link #startAgain}. */
    @Override
    public void stop() throws IOException, InterruptedException {
        if (!paused.isEmpty()) {
            resume();
        }
        if (running) {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), true);
            running = false;
        }
    }

    /** Freezes every process of the cluster ({@code SIGSTOP}): connections are accepted by the kernel, nothing answered. */
    @Override
    public void pause() throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(child -> pids.add(child.pid())));
        signal("STOP", pids);
        paused = pids;
    }

    /** Lets a paused cluster go on ({@code SIGCONT}). */
    @Override
    public void resume() throws IOException, InterruptedException {
        signal("CONT", paused);
        paused = List.of();
    }

    private void signal(String name, List<Long> pids) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        run(command, false);
    }

    /** The loopback port it listens on. */
    public int port() {
        return port;
    }

    /** The JDBC URL of this cluster's {@code postgres} database, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Runs {@code sql} as the superuser, on a connection of its own. */
    public void execute(String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String one : sql) {
                statement.execute(one);
            }
        }
    }

    /** A superuser connection for a test to look at rows with; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    private void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        run(command, asPostgres, true);
    }

    /** Runs {@code command} (as the postgres user when this JVM is root and {@code asPostgres}); its exit code. */
    private int run(List<String> command, boolean asPostgres, boolean mustSucceed)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && asRoot) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("portcullis-postgres-command-", ".log");
        try {
            Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(WAIT.toSeconds() + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                Assertions.fail(String.join(" ", command) + " did not finish");
            }
            if (mustSucceed && process.exitValue() != 0) {
                Assertions.fail(String.join(" ", command) + " failed (" + process.exitValue() + "):\n"
                        + Files.readString(output) + "\n" + log());
            }
            return process.exitValue();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String log() {
        try {
            Path log = dir.resolve("postgres.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops PostgreSQL (immediately) and deletes its directory. */
    @Override
    public void close() {
        try {
            if (!paused.isEmpty()) {
                resume();
            }
            if (running) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"),
                        true, false);
                running = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delete(dir);
        }
    }

    /** The newest installed PostgreSQL's {@code bin} directory. */
    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                List<Path> found = versions.map(version -> version.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                        .sorted(Comparator.comparing((Path bin) -> versionOf(bin)).reversed())
                        .toList();
                if (!found.isEmpty()) {
                    return found.get(0);
                }
            }
        }
        return Assertions.fail("PostgreSQL not found in /usr/lib/postgresql/*/bin: the PostgreSQL store tests need"
                + " it; install it with \"apt-get install postgresql\" (CI's .ci/run does)");
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
