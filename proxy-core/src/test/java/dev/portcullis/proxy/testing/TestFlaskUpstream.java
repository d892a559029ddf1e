package dev.portcullis.proxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * A Flask application served by gunicorn (Debian's {@code gunicorn} and {@code python3-flask}), as
 * an upstream that reads requests the way WSGI applications do: the method as sent (gunicorn 20
 * accepts {@code delete}), the path percent-decoded ({@code request.path}), and headers from the
 * {@code HTTP_*} environ keys, where {@code X_Pomerium_Claim_Email} and
 * {@code X-Pomerium-Claim-Email} are one header.
 *
 * <p>Every request, whatever its path or method, is answered {@code 200} with what Flask saw as JSON
 * and appended to a log the test reads with {@link #requests()}. gunicorn binds
 * {@code 127.0.0.1:0} and the port is read from its log line {@code Listening at:}. It runs out of
 * its own temporary directory with one sync worker, as a child process stopped by {@link #close()}.
 * When gunicorn or Flask is missing the test fails saying how to install them (CI's {@code .ci/run}
 * does).
 */
public final class TestFlaskUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_WAIT = Duration.ofSeconds(15);
    private static final Pattern LISTENING = Pattern.compile("Listening at: http://127\\.0\\.0\\.1:(\\d+)");

    private static final String APP = """
            import json
            import threading
            from flask import Flask, request, jsonify

            app = Flask(__name__)
            lock = threading.Lock()
            METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "MKCOL"]

            @app.route("/", defaults={"rest": ""}, methods=METHODS)
            @app.route("/<path:rest>", methods=METHODS)
            def echo(rest):
                seen = {
                    "method": request.method,
                    "path": request.path,
                    "raw_uri": request.environ.get("RAW_URI"),
                    "request_uri": request.environ.get("REQUEST_URI"),
                    "headers": [[name, value] for name, value in request.headers.items()],
                }
                with lock, open("requests.jsonl", "a", encoding="utf-8") as log:
                    log.write(json.dumps(seen) + "\\n")
                return jsonify(seen)
            """;

    /**
     * A request as Flask saw it.
     *
     * @param method  {@code request.method}
     * @param path    {@code request.path}: the path percent-decoded (as UTF-8)
     * @param rawUri  gunicorn's {@code RAW_URI}: the target as it came on the request line
     * @param headers {@code request.headers} in order, as name and value
     */
    public record Seen(String method, String path, String rawUri, List<Map.Entry<String, String>> headers) {
        /** The values of every header Flask names {@code name} (case-insensitively), in order. */
        public List<String> header(String name) {
            return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
        }
    }

    private final Process process;
    private final Path dir;
    private final int port;

    private TestFlaskUpstream(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts gunicorn with the echo application and waits until it listens. */
    public static TestFlaskUpstream start() throws IOException, InterruptedException {
        Path gunicorn = gunicorn();
        Path dir = Files.createTempDirectory("portcullis-flask-");
        Files.writeString(dir.resolve("echo_app.py"), APP, StandardCharsets.UTF_8);
        Path log = dir.resolve("gunicorn.log");
        Process process = new ProcessBuilder(gunicorn.toString(), "--bind", "127.0.0.1:0", "--workers", "1",
                "--chdir", dir.toString(), "--log-level", "info", "echo_app:app")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            Matcher listening = LISTENING.matcher(text);
            // The worker imports the application after the arbiter has bound: wait for it too, so that the
            // first request does not meet an import error.
            if (listening.find() && text.contains("Booting worker")) {
                return new TestFlaskUpstream(process, dir, Integer.parseInt(listening.group(1)));
            }
            Thread.sleep(20);
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        delete(dir);
        return Assertions.fail("gunicorn did not start the Flask echo application (is python3-flask installed?"
                + " apt-get install gunicorn python3-flask); its log:\n" + text);
    }

    private static Path gunicorn() {
        for (String candidate : List.of("/usr/bin/gunicorn", "/usr/local/bin/gunicorn")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        for (String entry : Optional.ofNullable(System.getenv("PATH")).orElse("").split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "gunicorn"))) {
                return Path.of(entry, "gunicorn");
            }
        }
        return Assertions.fail("gunicorn not found (looked in /usr/bin, /usr/local/bin and on the PATH): the tests"
                + " against a WSGI upstream need it and Flask; install them with"
                + " \"apt-get install gunicorn python3-flask\" (CI's .ci/run does)");
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Every request the application has run so far, oldest first. */
    public List<Seen> requests() {
        Path log = dir.resolve("requests.jsonl");
        List<Seen> seen = new ArrayList<>();
        try {
            if (!Files.exists(log)) {
                return seen;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                node.get("headers").forEach(h -> headers.add(Map.entry(h.get(0).asText(), h.get(1).asText())));
                seen.add(new Seen(node.get("method").asText(), node.get("path").asText(),
                        node.get("raw_uri").asText(null), List.copyOf(headers)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seen;
    }

    /** The last request the application ran, or null. */
    public Seen lastRequest() {
        List<Seen> all = requests();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** gunicorn's own log so far. */
    public String log() {
        return FrontProxyProcess.read(dir.resolve("gunicorn.log"));
    }

    /** Stops gunicorn (SIGTERM, then SIGKILL after five seconds) and deletes its directory. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
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
