package dev.portcullis.proxy.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assertions;

/**
 * The system's nginx, run as a front proxy in front of the proxy under test, the way the nginx
 * guides deploy it ({@code auth_request}, {@code proxy_pass}).
 *
 * <p>The test writes what goes inside {@code http { … }}; this class adds the rest, with every path
 * (pid, error and access logs, temporary files) inside its own temporary directory, and starts
 * {@code nginx -p DIR -c DIR/nginx.conf -e DIR/error.log -g "daemon off; master_process off;"}: a
 * single child process that never touches {@code /etc/nginx} or {@code /var}. The body is given
 * the port to listen on:
 *
 * <pre>{@code
 * TestNginx nginx = TestNginx.start(port -> """
 *         server {
 *             listen 127.0.0.1:%d;
 *             location / { proxy_pass %s; }
 *         }
 *         """.formatted(port, upstream.url()));
 * }</pre>
 *
 * <p>{@link #start} returns once nginx has bound the port (its pid file exists) and accepts
 * connections, and fails the test with the error log when it exits instead. The binary is
 * {@code /usr/sbin/nginx} or {@code nginx} on the {@code PATH}; when missing, the test fails with
 * how to install it, or is skipped when {@code PORTCULLIS_SKIP_FRONT_PROXIES=1}. The build must
 * include {@code --with-http_auth_request_module} (Debian's does), checked once per start.
 */
public final class TestNginx implements AutoCloseable {
    private final FrontProxyProcess process;

    private TestNginx(FrontProxyProcess process) {
        this.process = process;
    }

    /** Starts nginx with {@code httpBlock.apply(port)} as the contents of its {@code http} block. */
    public static TestNginx start(IntFunction<String> httpBlock) throws IOException, InterruptedException {
        requireNonNull(httpBlock, "httpBlock");
        Path nginx = FrontProxyProcess.require("nginx", List.of("/usr/sbin/nginx", "/usr/bin/nginx"));
        requireAuthRequestModule(nginx);
        return new TestNginx(FrontProxyProcess.start("nginx", new FrontProxyProcess.Launch() {
            @Override
            public ProcessBuilder prepare(Path dir, int port) throws IOException {
                Path conf = dir.resolve("nginx.conf");
                Files.writeString(conf, configuration(dir, httpBlock.apply(port)), StandardCharsets.UTF_8);
                return new ProcessBuilder(nginx.toString(),
                        "-p", dir + "/",
                        "-c", conf.toString(),
                        "-e", dir.resolve("error.log").toString(),
                        "-g", "daemon off; master_process off;");
            }

            @Override
            public boolean bound(Path dir) {
                // nginx writes its pid file only after it has opened its listening sockets.
                return Files.exists(dir.resolve("nginx.pid"));
            }

            @Override
            public List<Path> logs(Path dir) {
                return List.of(dir.resolve("error.log"), dir.resolve("nginx.conf"));
            }
        }));
    }

    private static String configuration(Path dir, String httpBlock) {
        return """
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events {
                    worker_connections 256;
                }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;

                %2$s
                }
                """.formatted(dir, httpBlock.indent(4).stripTrailing());
    }

    private static void requireAuthRequestModule(Path nginx) throws IOException, InterruptedException {
        Process version = new ProcessBuilder(nginx.toString(), "-V").redirectErrorStream(true).start();
        String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        version.waitFor();
        if (!text.contains("--with-http_auth_request_module")) {
            Assertions.fail(nginx + " was built without --with-http_auth_request_module, which the forward-auth"
                    + " tests need (Debian's nginx has it); nginx -V says:\n" + text);
        }
    }

    /** The port nginx listens on, at 127.0.0.1. */
    public int port() {
        return process.port();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The error log so far (level info). */
    public String errorLog() {
        return FrontProxyProcess.read(process.dir().resolve("error.log"));
    }

    /** The access log so far, in nginx's default "combined" format (a line is written after its response is sent). */
    public String accessLog() {
        return FrontProxyProcess.read(process.dir().resolve("access.log"));
    }

    /**
     * A log the configuration names by a relative path ({@code access_log paths.log paths;}, which nginx
     * places in its prefix directory), so far; empty while nginx has written nothing to it.
     */
    public String log(String relativePath) {
        return FrontProxyProcess.read(process.dir().resolve(relativePath));
    }

    /** Stops nginx and deletes its directory. */
    @Override
    public void close() {
        process.close();
    }
}
