package dev.portcullis.authn.store.redis;

import dev.portcullis.authn.store.TestServer;
import io.lettuce.core.RedisURI;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * The system's {@code redis-server} (Debian's package), run by a test as a child process on a loopback port, with
 * nothing persisted: {@code --save "" --appendonly no}. It can be stopped and started again on the same port, and
 * paused ({@code SIGSTOP}) to stand for a Redis that accepts connections but never answers.
 *
 * <p>The port is found free and then given to Redis, which cannot report which port 0 became; should another
 * process take it in between, {@link #start} tries another. {@link #close} stops Redis (SIGTERM, then SIGKILL) and
 * deletes its directory.
 */
public final class TestRedis implements TestServer {
    private static final Duration START_WAIT = Duration.ofSeconds(15);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final int BIND_ATTEMPTS = 3;

    private final Path binary;
    private final Path dir;
    private final List<String> extraArguments;
    private final Optional<String> password;
    private int port;
    private Process process;
    private boolean paused;

    private TestRedis(Path binary, Path dir, Optional<String> password, List<String> extraArguments) {
        this.binary = binary;
        this.dir = dir;
        this.password = password;
        this.extraArguments = extraArguments;
    }

    /** A Redis without a password, started; {@code extraArguments} such as {@code --maxmemory 1}. */
    public static TestRedis start(String... extraArguments) throws IOException, InterruptedException {
        return start(Optional.empty(), extraArguments);
    }

    /** A Redis that requires {@code password} ({@code --requirepass}), started. */
    public static TestRedis startWithPassword(String password) throws IOException, InterruptedException {
        return start(Optional.of(password));
    }

    /** A Redis that is not running yet: {@link #uri} names its port, {@link #startAgain} starts it there. */
    public static TestRedis notStarted() throws IOException {
        TestRedis redis = new TestRedis(binary(), Files.createTempDirectory("portcullis-redis-"), Optional.empty(),
                List.of());
        redis.port = freePort();
        return redis;
    }

    private static TestRedis start(Optional<String> password, String... extraArguments)
            throws IOException, InterruptedException {
        TestRedis redis = new TestRedis(binary(), Files.createTempDirectory("portcullis-redis-"), password,
                List.of(extraArguments));
        try {
            redis.startOnAFreePort();
            return redis;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            redis.close();
            throw e;
        }
    }

    private void startOnAFreePort() throws IOException, InterruptedException {
        String log = "";
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            port = freePort();
            if (launch()) {
                return;
            }
            log = log();
            if (!log.toLowerCase().contains("address already in use")) {
                break;
            }
        }
        Assertions.fail("redis-server did not start; its output:\n" + log);
    }

    /** Starts Redis again on the same port (after {@link #stop}, or for the first time after {@link #notStarted}). */
    @Override
    public void startAgain() throws IOException, InterruptedException {
        if (!launch()) {
            Assertions.fail("redis-server did not start again on port " + port + "; its output:\n" + log());
        }
    }

    private boolean launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        password.ifPresent(secret -> command.addAll(List.of("--requirepass", secret)));
        command.addAll(extraArguments);
        process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (answersPing()) {
                return true;
            }
            Thread.sleep(20);
        }
        stopProcess();
        return false;
    }

    /** Whether Redis answers an inline {@code PING} (with {@code PONG}, or {@code NOAUTH} when it wants a password). */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[64];
            int read = in.read(reply);
            String answer = read <= 0 ? "" : new String(reply, 0, read, StandardCharsets.US_ASCII);
            return answer.startsWith("+PONG") || answer.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }

    /** Where this Redis is, with its password when it has one. */
    public RedisURI uri() {
        RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(port);
        password.ifPresent(secret -> uri.withPassword(secret.toCharArray()));
        return uri.build();
    }

    /** Where this Redis is, with {@code password} (right or wrong). */
    public RedisURI uriWithPassword(String password) {
        return RedisURI.builder().withHost("127.0.0.1").withPort(port).withPassword(password.toCharArray()).build();
    }

    /** Where this Redis is, without a password. */
    public RedisURI uriWithoutPassword() {
        return RedisURI.builder().withHost("127.0.0.1").withPort(port).build();
    }

    public int port() {
        return port;
    }

    /** Stops Redis (it loses everything, as nothing is persisted); {@link #startAgain} starts it again. */
    @Override
    public void stop() throws InterruptedException {
        stopProcess();
    }

    /** Freezes Redis ({@code SIGSTOP}): connections are accepted by the kernel, nothing is answered. */
    @Override
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
        paused = true;
    }

    /** Lets a paused Redis go on ({@code SIGCONT}). */
    @Override
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
        paused = false;
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            Assertions.fail("kill -" + name + " " + process.pid() + " failed");
        }
    }

    private void stopProcess() throws InterruptedException {
        if (process == null) {
            return;
        }
        if (paused) {
            // A stopped process ignores SIGTERM until it runs again.
            process.destroyForcibly();
            paused = false;
        }
        process.destroy();
        if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        process = null;
    }

    private String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops Redis (killing it if it does not stop) and deletes its directory. */
    @Override
    public void close() {
        try {
            stopProcess();
        } catch (InterruptedException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            Thread.currentThread().interrupt();
        } finally {
            delete(dir);
        }
    }

    private static Path binary() {
        List<String> fixed = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server");
        for (String candidate : fixed) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) {
                return Path.of(dir, "redis-server");
            }
        }
        return Assertions.fail("redis-server not found (looked in " + String.join(", ", fixed) + " and on the PATH):"
                + " the Redis store tests need it; install it with \"apt-get install redis-server\" (CI's .ci/run does)");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
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
