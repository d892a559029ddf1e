package dev.portcullis.proxy.testing;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Traefik (v2.2 to v3) in front, emulated: Traefik cannot be installed on the build machine, so this
 * plays the two parts the forward-auth examples and the Traefik guide rely on, read from their
 * configuration as written (Docker labels or the file provider):
 * <ul>
 *   <li>routers matched by {@code Host(`name`)}, each sending the request to its service with the
 *       {@code Host} kept and {@code X-Forwarded-For} set to the client's address (Traefik's entry point
 *       trusts no client's forwarded headers by default);</li>
 *   <li>the {@code forwardAuth} middleware exactly as Traefik's {@code pkg/middlewares/auth/forward.go}
 *       does it: a {@code GET} to {@code address} (so with {@code Host} the address's own), carrying the
 *       client's headers without the hop-by-hop ones, then {@code X-Forwarded-For} (the client's
 *       address, after the client's own list when {@code trustForwardHeader}),
 *       {@code X-Forwarded-Method}, {@code X-Forwarded-Proto} ({@code https} on a TLS router),
 *       {@code X-Forwarded-Host} and {@code X-Forwarded-Uri}, each the client's own only when
 *       {@code trustForwardHeader}; an answer outside 2xx goes to the client as it is (status, headers,
 *       {@code Location}, body); on a 2xx each {@code authResponseHeaders} name is removed from the
 *       request and set to the answer's value when the answer has it, then the request goes on.</li>
 * </ul>
 * Container names resolve as Docker's network would, through {@code hosts} ({@code portcullis},
 * {@code jaeger} … to {@code 127.0.0.1:port}). The browser's TLS is not emulated: a router with
 * {@code tls} is served over plain HTTP on the emulator's port and treated as reached over TLS.
 */
public final class EmulatedTraefik implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade");
    private static final Set<String> NOT_SETTABLE = Set.of("content-length", "host", "expect", "date");
    private static final Pattern HOST_RULE = Pattern.compile("Host\\(`([^`]+)`\\)");

    /** A {@code forwardAuth} middleware. */
    public record ForwardAuth(String address, List<String> authResponseHeaders, boolean trustForwardHeader) {
        public ForwardAuth {
            requireNonNull(address, "address");
            authResponseHeaders = List.copyOf(authResponseHeaders);
        }
    }

    /** A router: {@code Host(`host`)}, its forward-auth middleware if any, and its service's URL. */
    public record Router(String host, boolean tls, Optional<ForwardAuth> forwardAuth, URI service) {
        public Router {
            requireNonNull(host, "host");
            requireNonNull(forwardAuth, "forwardAuth");
            requireNonNull(service, "service");
        }

        /** The host of a rule such as {@code Host(`jaeger.example.com`)}. */
        public static String hostOf(String rule) {
            Matcher matcher = HOST_RULE.matcher(rule);
            if (!matcher.find()) {
                throw new IllegalArgumentException("not a Host(`…`) rule: " + rule);
            }
            return matcher.group(1);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Router> routers;
    private final Map<String, String> hosts;

    private EmulatedTraefik(List<Router> routers, Map<String, String> hosts) throws IOException {
        this.routers = List.copyOf(routers);
        this.hosts = Map.copyOf(hosts);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts Traefik with {@code routers}; {@code hosts} maps each container name ({@code portcullis}) to
     * where it really listens ({@code 127.0.0.1:port}).
     */
    public static EmulatedTraefik start(List<Router> routers, Map<String, String> hosts) throws IOException {
        return new EmulatedTraefik(routers, hosts);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = exchange.getRequestHeaders().getFirst("Host").replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
            Optional<Router> router = routers.stream().filter(r -> r.host().equalsIgnoreCase(host)).findFirst();
            if (router.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String clientIp = exchange.getRemoteAddress().getAddress().getHostAddress();
            Map<String, List<String>> request = new java.util.LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> request.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            if (router.get().forwardAuth().isPresent()) {
                HttpResponse<byte[]> answer = check(router.get(), router.get().forwardAuth().get(), exchange, request, clientIp);
                if (answer.statusCode() < 200 || answer.statusCode() >= 300) {
                    reply(exchange, answer);
                    return;
                }
                for (String name : router.get().forwardAuth().get().authResponseHeaders()) {
                    String key = name.toLowerCase(Locale.ROOT);
                    request.remove(key);
                    List<String> values = answer.headers().allValues(key);
                    if (!values.isEmpty()) {
                        request.put(key, values);
                    }
                }
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder forward = HttpRequest.newBuilder(resolve(router.get().service()
                    .resolve(exchange.getRequestURI().getRawPath() + query(exchange.getRequestURI()))))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body))
                    .timeout(Duration.ofSeconds(20));
            copy(request, forward);
            forward.setHeader("Host", exchange.getRequestHeaders().getFirst("Host"));
            forward.setHeader("X-Forwarded-For", clientIp);
            forward.setHeader("X-Forwarded-Proto", router.get().tls() ? "https" : "http");
            forward.setHeader("X-Forwarded-Host", exchange.getRequestHeaders().getFirst("Host"));
            reply(exchange, client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The forward-auth request, as forward.go's writeHeader builds it. */
    private HttpResponse<byte[]> check(Router router, ForwardAuth auth, HttpExchange exchange,
            Map<String, List<String>> request, String clientIp) throws IOException, InterruptedException {
        HttpRequest.Builder check = HttpRequest.newBuilder(resolve(URI.create(auth.address()))).GET()
                .timeout(Duration.ofSeconds(30));
        copy(request, check);
        check.setHeader("Host", URI.create(auth.address()).getRawAuthority());
        boolean trust = auth.trustForwardHeader();
        String forwardedFor = trust && request.containsKey("x-forwarded-for")
                ? String.join(", ", request.get("x-forwarded-for")) + ", " + clientIp : clientIp;
        check.setHeader("X-Forwarded-For", forwardedFor);
        check.setHeader("X-Forwarded-Method", trusted(request, "x-forwarded-method", trust).orElse(exchange.getRequestMethod()));
        check.setHeader("X-Forwarded-Proto", trusted(request, "x-forwarded-proto", trust).orElse(router.tls() ? "https" : "http"));
        trusted(request, "x-forwarded-port", trust).ifPresent(port -> check.setHeader("X-Forwarded-Port", port));
        check.setHeader("X-Forwarded-Host", trusted(request, "x-forwarded-host", trust)
                .orElse(exchange.getRequestHeaders().getFirst("Host")));
        check.setHeader("X-Forwarded-Uri", trusted(request, "x-forwarded-uri", trust)
                .orElse(exchange.getRequestURI().getRawPath() + query(exchange.getRequestURI())));
        return client.send(check.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Optional<String> trusted(Map<String, List<String>> request, String name, boolean trust) {
        List<String> values = request.get(name);
        return trust && values != null && !values.isEmpty() && !values.get(0).isEmpty() ? Optional.of(values.get(0)) : Optional.empty();
    }

    private static void copy(Map<String, List<String>> headers, HttpRequest.Builder builder) {
        headers.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name) && !NOT_SETTABLE.contains(name)) {
                values.forEach(value -> builder.header(name, value));
            }
        });
    }

    private static String query(URI uri) {
        return uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    }

    /** {@code url} with its container name replaced by where that container listens. */
    private URI resolve(URI url) {
        String real = hosts.get(url.getHost());
        if (real == null) {
            throw new IllegalStateException("no container named " + url.getHost() + " (known: " + hosts.keySet() + ")");
        }
        return URI.create("http://" + real + (url.getRawPath().isEmpty() ? "/" : url.getRawPath()) + query(url));
    }

    private static void reply(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            String key = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(key) && !key.equals("content-length") && !key.equals("date") && !key.startsWith(":")) {
                exchange.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
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
