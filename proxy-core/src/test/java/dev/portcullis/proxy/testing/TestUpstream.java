package dev.portcullis.proxy.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP/1.1 upstream on a loopback port 0 (the JDK's HTTP server, so that it shares no
 * buffers with the proxy under test). Paths:
 * <ul>
 *   <li>{@code /bytes/N} streams N bytes (chunked, 64 KiB writes), counting what it wrote;</li>
 *   <li>{@code /upload} reads the whole body and answers with its length;</li>
 *   <li>{@code /slow/MS} waits MS milliseconds, then answers;</li>
 *   <li>{@code /status/CODE} answers with that status;</li>
 *   <li>anything else echoes the request as JSON: method, path (raw), headers, and this server's name.</li>
 * </ul>
 * Every request is recorded, with its connection's remote port (to observe connection reuse).
 */
public final class TestUpstream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<Recorded> requests = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicInteger connectionsSeen = new AtomicInteger();

    /**
     * A request as the upstream saw it.
     *
     * @param rawPath     the path and query as they came on the request line ({@code URI.getRawPath()} and query)
     * @param decodedPath the path as a servlet-style application reads it, percent-decoded ({@code URI.getPath()})
     */
    public record Recorded(String method, String rawPath, Map<String, List<String>> headers, int remotePort,
            String decodedPath) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return String.join(",", e.getValue());
                }
            }
            return null;
        }
    }

    public TestUpstream(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    public Recorded lastRequest() {
        Recorded last = null;
        for (Recorded r : requests) {
            last = r;
        }
        return last;
    }

    /** Bytes written so far by {@code /bytes/N} responses. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
        requests.add(new Recorded(exchange.getRequestMethod(), uri.getRawPath()
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : ""), headers, exchange.getRemoteAddress().getPort(),
                uri.getPath()));
        try (exchange) {
            if (path.startsWith("/bytes/")) {
                streamBytes(exchange, Long.parseLong(path.substring(7)));
            } else if (path.equals("/upload")) {
                long n = drain(exchange.getRequestBody());
                respond(exchange, 200, "text/plain", Long.toString(n).getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/slow/")) {
                drain(exchange.getRequestBody());
                Thread.sleep(Long.parseLong(path.substring(6)));
                respond(exchange, 200, "text/plain", "slow\n".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/status/")) {
                drain(exchange.getRequestBody());
                respond(exchange, Integer.parseInt(path.substring(8)), "text/plain", "status\n".getBytes(StandardCharsets.UTF_8));
            } else {
                drain(exchange.getRequestBody());
                Map<String, Object> echo = new LinkedHashMap<>();
                echo.put("upstream", name);
                echo.put("method", exchange.getRequestMethod());
                echo.put("path", requests.isEmpty() ? "" : lastRequest().rawPath());
                echo.put("headers", headers);
                respond(exchange, 200, "application/json", JSON.writeValueAsBytes(echo));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void streamBytes(HttpExchange exchange, long n) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = exchange.getResponseBody()) {
            long left = n;
            while (left > 0) {
                int len = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, len);
                bytesWritten.addAndGet(len);
                left -= len;
            }
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
