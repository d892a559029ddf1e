package dev.portcullis.proxy.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What {@link TestNginx}, {@link TestCaddy} and {@link TestHaproxy} share: a front proxy run as a child process (never
 * a daemon) out of its own temporary directory, listening on one loopback port.
 *
 * <p>The port comes from {@link TestIdentityProvider#freePort()}, because neither program can tell
 * which port 0 became; should another process take it between the check and the program's bind,
 * {@link #start} tries again on another port (the program's log says "address already in use").
 */
final class FrontProxyProcess implements AutoCloseable {
    /** Environment variable that turns a missing nginx, caddy or haproxy into a skipped test instead of a failure. */
    static final String SKIP_VARIABLE = "PORTCULLIS_SKIP_FRONT_PROXIES";

    private static final Duration START_WAIT = Duration.ofSeconds(15);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final int BIND_ATTEMPTS = 3;

    /** How one program is started from a directory and a port, and what its logs say. */
    interface Launch {
        /** Writes the configuration for {@code port} into {@code dir} and returns the process to start. */
        ProcessBuilder prepare(Path dir, int port) throws IOException;

        /** True once the program has bound its port (e.g. its pid file exists, or its log says so). */
        boolean bound(Path dir);

        /** The logs to show when the program did not start, in the order to read them. */
        List<Path> logs(Path dir);
    }

    private final String name;
    private final Process process;
    private final Path dir;
    private final int port;
    private final List<Path> logs;

    private FrontProxyProcess(String name, Process process, Path dir, int port, List<Path> logs) {
        this.name = name;
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.logs = logs;
    }

    /**
     * Finds {@code program} at one of {@code fixed} or on the {@code PATH}; fails the test with how
     * to install it, or skips it when {@value #SKIP_VARIABLE}{@code =1}.
     */
    static Path require(String program, List<String> fixed) {
        for (String candidate : fixed) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        String searchPath = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program);
            }
        }
        String message = program + " not found (looked in " + String.join(", ", fixed) + " and on the PATH): the"
                + " front-proxy tests need nginx, caddy and haproxy; install them with \"apt-get install nginx caddy haproxy\""
                + " (CI's .ci/run does), or set " + SKIP_VARIABLE + "=1 to skip these tests";
        Assumptions.assumeFalse("1".equals(System.getenv(SKIP_VARIABLE)), message);
        return Assertions.fail(message);
    }

    /** Starts the program in a new temporary directory and waits until it accepts connections. */
    static FrontProxyProcess start(String name, Launch launch) throws IOException, InterruptedException {
        String failure = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            Path dir = Files.createTempDirectory("portcullis-" + name + "-");
            int port = TestIdentityProvider.freePort();
            ProcessBuilder builder = launch.prepare(dir, port)
                    .directory(dir.toFile())
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .redirectError(dir.resolve("stderr.log").toFile());
            List<Path> logs = Stream.concat(launch.logs(dir).stream(), Stream.of(dir.resolve("stdout.log"), dir.resolve("stderr.log")))
                    .distinct()
                    .toList();
            FrontProxyProcess started = new FrontProxyProcess(name, builder.start(), dir, port, logs);
            if (started.awaitReady(() -> launch.bound(dir))) {
                return started;
            }
            failure = started.logText();
            started.close();
            if (!failure.toLowerCase().contains("address already in use")) {
                break;
            }
        }
        return Assertions.fail(name + " did not start; its logs:\n" + failure);
    }

    private boolean awaitReady(BooleanSupplier bound) throws InterruptedException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            if (bound.getAsBoolean() && accepts()) {
                return process.isAlive();
            }
            Thread.sleep(20);
        }
        return false;
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    /** Every log file's content, each under its name (for failure messages). */
    String logText() {
        StringBuilder text = new StringBuilder();
        if (!process.isAlive()) {
            text.append("(").append(name).append(" exited with ").append(process.exitValue()).append(")\n");
        }
        for (Path log : logs) {
            text.append("--- ").append(log.getFileName()).append(" ---\n").append(read(log));
        }
        return text.toString();
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the program (SIGTERM, then SIGKILL after five seconds) and deletes its directory. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            delete(dir);
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
