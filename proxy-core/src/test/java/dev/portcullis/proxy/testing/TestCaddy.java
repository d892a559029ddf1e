package dev.portcullis.proxy.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The system's Caddy, run as a front proxy in front of the proxy under test, the way the Caddy
 * guides deploy it ({@code forward_auth}, {@code reverse_proxy}). {@code forward_auth} needs
 * Caddy 2.5 or later (Debian bookworm ships 2.6.2).
 *
 * <p>The test writes the site blocks of a Caddyfile; this class puts a global options block in
 * front of them: no admin endpoint, no automatic HTTPS, every listener on 127.0.0.1
 * ({@code default_bind}), a one-second shutdown grace period, and storage in its temporary
 * directory. It then runs {@code caddy run --config DIR/Caddyfile --adapter caddyfile} as a child
 * process whose {@code HOME} and {@code XDG_*} directories are inside that directory too, so that
 * nothing outside it is written. The site blocks are given the port to listen on:
 *
 * <pre>{@code
 * TestCaddy caddy = TestCaddy.start(port -> """
 *         http://:%d {
 *             reverse_proxy %s
 *         }
 *         """.formatted(port, upstream.url()));
 * }</pre>
 *
 * <p>{@link #start} returns once Caddy logs "serving initial configuration" and accepts
 * connections, and fails the test with its log when it exits instead. The binary is
 * {@code /usr/bin/caddy} or {@code caddy} on the {@code PATH}; when missing, the test fails with how
 * to install it, or is skipped when {@code PORTCULLIS_SKIP_FRONT_PROXIES=1}.
 */
public final class TestCaddy implements AutoCloseable {
    private final FrontProxyProcess process;

    private TestCaddy(FrontProxyProcess process) {
        this.process = process;
    }

    /** Starts Caddy with {@code siteBlocks.apply(port)} after its global options. */
    public static TestCaddy start(IntFunction<String> siteBlocks) throws IOException, InterruptedException {
        requireNonNull(siteBlocks, "siteBlocks");
        Path caddy = FrontProxyProcess.require("caddy", List.of("/usr/bin/caddy"));
        return new TestCaddy(FrontProxyProcess.start("caddy", new FrontProxyProcess.Launch() {
            @Override
            public ProcessBuilder prepare(Path dir, int port) throws IOException {
                Path caddyfile = dir.resolve("Caddyfile");
                Files.writeString(caddyfile, configuration(dir, siteBlocks.apply(port)), StandardCharsets.UTF_8);
                ProcessBuilder builder = new ProcessBuilder(caddy.toString(),
                        "run", "--config", caddyfile.toString(), "--adapter", "caddyfile");
                Map<String, String> environment = builder.environment();
                environment.put("HOME", dir.toString());
                environment.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
                environment.put("XDG_DATA_HOME", dir.resolve("data").toString());
                environment.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
                return builder;
            }

            @Override
            public boolean bound(Path dir) {
                // Logged after every listener of the configuration has been opened.
                return FrontProxyProcess.read(dir.resolve("stderr.log")).contains("serving initial configuration");
            }

            @Override
            public List<Path> logs(Path dir) {
                return List.of(dir.resolve("stderr.log"), dir.resolve("Caddyfile"));
            }
        }));
    }

    private static String configuration(Path dir, String siteBlocks) {
        return """
                {
                \tadmin off
                \tauto_https off
                \tdefault_bind 127.0.0.1
                \tgrace_period 1s
                \tstorage file_system %s
                }

                %s
                """.formatted(dir.resolve("data"), siteBlocks);
    }

    /** The port Caddy listens on, at 127.0.0.1. */
    public int port() {
        return process.port();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Caddy's log so far (JSON lines on its standard error). */
    public String log() {
        return FrontProxyProcess.read(process.dir().resolve("stderr.log"));
    }

    /** Stops Caddy and deletes its directory. */
    @Override
    public void close() {
        process.close();
    }
}
