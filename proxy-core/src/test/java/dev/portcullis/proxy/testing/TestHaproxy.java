package dev.portcullis.proxy.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The system's HAProxy, run as a front proxy in front of the proxy under test, e.g. with {@code send-proxy} or
 * {@code send-proxy-v2} on its server line (the PROXY protocol).
 *
 * <p>The test writes the {@code frontend}/{@code backend} (or {@code listen}) sections; this class adds
 * {@code global} and {@code defaults} and starts {@code haproxy -db -f DIR/haproxy.cfg}: one child process in the
 * foreground, out of its own temporary directory. The body is given the port to listen on:
 *
 * <pre>{@code
 * TestHaproxy haproxy = TestHaproxy.start(port -> """
 *         listen front
 *             bind 127.0.0.1:%d
 *             server portcullis 127.0.0.1:%d send-proxy
 *         """.formatted(port, proxy.port()));
 * }</pre>
 *
 * <p>{@link #start} returns once HAProxy accepts connections, and fails the test with its output when it exits
 * instead. The binary is {@code /usr/sbin/haproxy} or {@code haproxy} on the {@code PATH}; when missing, the test
 * fails with how to install it, or is skipped when {@code PORTCULLIS_SKIP_FRONT_PROXIES=1}.
 */
public final class TestHaproxy implements AutoCloseable {
    private final FrontProxyProcess process;

    private TestHaproxy(FrontProxyProcess process) {
        this.process = process;
    }

    /** Starts HAProxy with {@code sections.apply(port)} after its {@code global} and {@code defaults}. */
    public static TestHaproxy start(IntFunction<String> sections) throws IOException, InterruptedException {
        requireNonNull(sections, "sections");
        Path haproxy = FrontProxyProcess.require("haproxy", List.of("/usr/sbin/haproxy", "/usr/bin/haproxy"));
        return new TestHaproxy(FrontProxyProcess.start("haproxy", new FrontProxyProcess.Launch() {
            @Override
            public ProcessBuilder prepare(Path dir, int port) throws IOException {
                Path conf = dir.resolve("haproxy.cfg");
                Files.writeString(conf, configuration(sections.apply(port)), StandardCharsets.UTF_8);
                return new ProcessBuilder(haproxy.toString(), "-db", "-f", conf.toString());
            }

            @Override
            public boolean bound(Path dir) {
                // Foreground HAProxy writes no pid file; accepting a connection is the sign.
                return true;
            }

            @Override
            public List<Path> logs(Path dir) {
                return List.of(dir.resolve("haproxy.cfg"));
            }
        }));
    }

    private static String configuration(String sections) {
        return """
                global
                    maxconn 256

                defaults
                    mode http
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s

                %s
                """.formatted(sections);
    }

    /** The port HAProxy listens on, at 127.0.0.1. */
    public int port() {
        return process.port();
    }

    /** Stops HAProxy and deletes its directory. */
    @Override
    public void close() {
        process.close();
    }
}
