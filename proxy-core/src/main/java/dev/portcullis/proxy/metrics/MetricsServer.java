package dev.portcullis.proxy.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.proxy.digest.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code metrics_address} listener: plain HTTP on the JDK's server with one thread of its own, so a
 * scrape never runs on a proxy event loop. Answers:
 * <ul>
 * <li>{@code 401} with {@code WWW-Authenticate: Basic} to any request without the
 *     {@code metrics_basic_auth} credentials, when they are configured (compared in constant time);</li>
 * <li>{@code 200} with the Prometheus text format (0.0.4) to {@code GET} or {@code HEAD /metrics};</li>
 * <li>{@code 405} to another method on {@code /metrics}, {@code 404} to any other path.</li>
 * </ul>
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Optional<byte[]> credentialsDigest;
    private final Supplier<String> scrape;

    private MetricsServer(InetSocketAddress at, Optional<String> basicAuth, Supplier<String> scrape) throws IOException {
        this.credentialsDigest = basicAuth.map(credentials -> Sha256.of(credentials.getBytes(UTF_8)));
        this.scrape = scrape;
        this.server = HttpServer.create(at, 16);
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metrics-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::answer);
        server.start();
    }

    /**
     * Serves {@code scrape} on {@code at}.
     *
     * @param basicAuth the {@code user:pass} a scraper must send, or empty for none
     * @throws IOException when the address cannot be bound
     */
    public static MetricsServer start(InetSocketAddress at, Optional<String> basicAuth, Supplier<String> scrape)
            throws IOException {
        requireNonNull(at, "at");
        requireNonNull(basicAuth, "basicAuth");
        requireNonNull(scrape, "scrape");
        return new MetricsServer(at, basicAuth, scrape);
    }

    /** The bound address (the real port when configured as 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"metrics\", charset=\"UTF-8\"");
                send(exchange, 401, "text/plain; charset=utf-8", "Unauthorized: metrics_basic_auth credentials required\n");
                return;
            }
            if (!exchange.getRequestURI().getRawPath().equals(PATH)) {
                send(exchange, 404, "text/plain; charset=utf-8", "Not found: metrics are at " + PATH + "\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "Method not allowed\n");
                return;
            }
            send(exchange, 200, CONTENT_TYPE, scrape.get());
        } catch (RuntimeException e) {
            log.warn("metrics scrape failed: {}", e.toString());
        }
    }

    private boolean authorized(String authorization) {
        if (credentialsDigest.isEmpty()) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).strip());
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        // Digests of equal length, compared in constant time: neither content nor length leaks.
        return MessageDigest.isEqual(credentialsDigest.get(), Sha256.of(given));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening and ends the listener's thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
