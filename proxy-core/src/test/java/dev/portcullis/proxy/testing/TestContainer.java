package dev.portcullis.proxy.testing;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A container of the image built from {@code docker/Dockerfile}, run with podman as the machine's
 * root (podman 4 with runc: crun does not work on the build machines, and runc needs explicit
 * {@code nofile}/{@code nproc} limits).
 *
 * <p>{@link #requirePodman()} fails the test with what to install when podman is missing, or skips
 * it when {@code PORTCULLIS_SKIP_CONTAINER=1} (skipped then even where podman exists);
 * {@link #buildImage} runs {@code docker/build-offline.sh}, so the image tested is the current code
 * (podman's layer cache makes a rebuild without changes a matter of seconds).
 *
 * <p>The environment is handed over in a 0600 {@code --env-file}, so that no secret appears on a
 * command line or in a failure message. {@link #close} removes the container ({@code podman rm -f}).
 */
public final class TestContainer implements AutoCloseable {
    /** Environment variable that skips the container tests. */
    public static final String SKIP_VARIABLE = "PORTCULLIS_SKIP_CONTAINER";
    /**
     * Environment variable naming another architecture to build and test the image for (e.g.
     * {@code arm64}), run under QEMU user emulation; unset, the machine's own.
     */
    public static final String ARCH_VARIABLE = "PORTCULLIS_CONTAINER_ARCH";
    /** The tag {@code docker/build-offline.sh} gives the image ({@code local-ARCH} for another architecture). */
    public static final String IMAGE = Optional.ofNullable(System.getenv(ARCH_VARIABLE)).filter(a -> !a.isBlank())
            .map(arch -> "localhost/portcullis:local-" + arch).orElse("localhost/portcullis:local");

    private static final List<String> PODMAN = List.of("podman", "--runtime", "runc");
    private static final List<String> LIMITS = List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096");
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(60);
    private static final Duration BUILD_WAIT = Duration.ofMinutes(20);

    private final String name;
    private final Path envFile;

    private TestContainer(String name, Path envFile) {
        this.name = name;
        this.envFile = envFile;
    }

    /** What a podman command printed, and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    /**
     * Skips the test when {@value #SKIP_VARIABLE}{@code =1}; fails it with what to install when
     * podman is not on the {@code PATH}, or when this is not root (podman with runc needs it here).
     */
    public static void requirePodman() {
        Assumptions.assumeFalse("1".equals(System.getenv(SKIP_VARIABLE)),
                SKIP_VARIABLE + "=1: the container tests are skipped");
        String help = "; the container tests build docker/Dockerfile and run the image: install podman with"
                + " \"apt-get install podman runc debootstrap\" (CI's .ci/run does) and run them as root, or set "
                + SKIP_VARIABLE + "=1 to skip them";
        boolean found = false;
        for (String dir : Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator)) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, "podman"));
        }
        if (!found) {
            Assertions.fail("podman not found on the PATH" + help);
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            Assertions.fail("not root (podman runs the containers with runc as root on these machines)" + help);
        }
    }

    /**
     * Builds {@link #IMAGE} from the repository at {@code repository} with
     * {@code docker/build-offline.sh} (with {@code --arch} when {@value #ARCH_VARIABLE} is set); fails
     * with the end of its output when the build fails.
     */
    public static void buildImage(Path repository) throws IOException, InterruptedException {
        Path log = Files.createTempFile("portcullis-image-build-", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(repository.resolve("docker/build-offline.sh").toString()));
            Optional.ofNullable(System.getenv(ARCH_VARIABLE)).filter(a -> !a.isBlank()).ifPresent(arch -> command.addAll(List.of("--arch", arch)));
            Process build = new ProcessBuilder(command)
                    .directory(repository.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!build.waitFor(BUILD_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                build.destroyForcibly();
                Assertions.fail("docker/build-offline.sh took more than " + BUILD_WAIT.toMinutes() + " minutes:\n" + tail(log));
            }
            if (build.exitValue() != 0) {
                Assertions.fail("docker/build-offline.sh exited with " + build.exitValue() + ":\n" + tail(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Starts a detached container of {@link #IMAGE}: {@code options} go between {@code run} and the
     * image ({@code --network=host}, {@code -v …}, {@code --read-only}), {@code environment} through a
     * 0600 env file, {@code command} after the image (empty: the image's {@code CMD}).
     */
    public static TestContainer run(List<String> options, Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        requireNonNull(options, "options");
        String name = "portcullis-test-" + UUID.randomUUID().toString().substring(0, 8);
        Path envFile = Files.createTempFile("portcullis-env-", ".list",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder env = new StringBuilder();
        environment.forEach((key, value) -> env.append(key).append('=').append(value).append('\n'));
        Files.writeString(envFile, env, StandardCharsets.UTF_8);
        List<String> arguments = new ArrayList<>(List.of("run", "-d", "--name", name));
        arguments.addAll(LIMITS);
        arguments.addAll(List.of("--env-file", envFile.toString()));
        arguments.addAll(options);
        arguments.add(IMAGE);
        arguments.addAll(command);
        TestContainer container = new TestContainer(name, envFile);
        Result started = podman(arguments);
        if (started.exitCode() != 0) {
            container.close();
            Assertions.fail("podman run " + String.join(" ", options) + " failed (" + started.exitCode() + "):\n"
                    + started.output());
        }
        return container;
    }

    /** Runs {@code podman --runtime runc ARGS} and waits for it (at most a minute). */
    public static Result podman(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(PODMAN);
        command.addAll(arguments);
        Path out = Files.createTempFile("portcullis-podman-", ".out");
        Path err = Files.createTempFile("portcullis-podman-", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(COMMAND_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(-1, Files.readString(out), Files.readString(err) + "\n(podman " + arguments.get(0)
                        + " did not finish within " + COMMAND_WAIT.toSeconds() + " s)");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@link #podman(List)} with arguments. */
    public static Result podman(String... arguments) throws IOException, InterruptedException {
        return podman(List.of(arguments));
    }

    /** The container's name. */
    public String name() {
        return name;
    }

    /** Runs {@code command} in the container, as the image's user. */
    public Result exec(String... command) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("exec", name));
        arguments.addAll(List.of(command));
        return podman(arguments);
    }

    /** What the container printed so far, stdout and stderr. */
    public String logs() throws IOException, InterruptedException {
        return podman("logs", name).output();
    }

    /** {@code running}, {@code exited}, … ({@code podman inspect}'s {@code State.Status}). */
    public String status() throws IOException, InterruptedException {
        return podman("inspect", "--format", "{{.State.Status}}", name).stdout().strip();
    }

    /** The exit code once it has exited; empty while it runs. */
    public Optional<Integer> exitCode() throws IOException, InterruptedException {
        Result inspect = podman("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name);
        String[] words = inspect.stdout().strip().split(" ");
        if (words.length == 2 && (words[0].equals("exited") || words[0].equals("stopped"))) {
            return Optional.of(Integer.parseInt(words[1]));
        }
        return Optional.empty();
    }

    /** Waits until the container has exited, at most {@code wait}; its exit code, or a failure with its log. */
    public int awaitExit(Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> code = exitCode();
            if (code.isPresent()) {
                return code.get();
            }
            Thread.sleep(100);
        }
        return Assertions.fail(name + " still runs after " + wait.toSeconds() + " s; its log:\n" + logs());
    }

    /** Removes the container, running or not, and its env file. */
    @Override
    public void close() {
        try {
            podman("rm", "-f", "-v", "-t", "0", name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(envFile);
            } catch (IOException e) {
                // a temporary file; the next run does not depend on it
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
