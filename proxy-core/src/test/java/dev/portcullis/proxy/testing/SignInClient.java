package dev.portcullis.proxy.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cookie-keeping HTTP client that behaves like a browser for the sign-in flow: it follows
 * redirects one hop at a time (recording each), keeps host-only cookies per host, and sends
 * requests for host names under {@code .test} (or other suffixes) to the proxy (with that Host
 * header), everything else (the identity provider) directly. The JDK client may send Host because
 * the test JVM starts with {@code jdk.httpclient.allowRestrictedHeaders} (proxy-core's pom).
 */
public final class SignInClient {
    private final int proxyPort;
    private final List<String> proxiedSuffixes;
    private final Map<String, Integer> frontProxies = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Map<String, String>> jar = new ConcurrentHashMap<>();
    private HttpClient tlsClient;
    private String accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    public SignInClient(int proxyPort) {
        this(proxyPort, ".test");
    }

    /**
     * A client that sends requests for hosts ending in one of {@code proxiedSuffixes} to the proxy,
     * over plain HTTP whatever the URL's scheme (as a TLS-terminating front proxy such as DSM's would).
     */
    public SignInClient(int proxyPort, String... proxiedSuffixes) {
        this.proxyPort = proxyPort;
        this.proxiedSuffixes = List.of(proxiedSuffixes);
    }

    /**
     * The same browser (its cookies) on new connections, as after the server it talked to was restarted: a
     * kept-alive connection to the stopped server is not reused, whatever the moment its close reached us.
     */
    public SignInClient withNewConnections() {
        SignInClient fresh = new SignInClient(proxyPort, proxiedSuffixes.toArray(String[]::new));
        jar.forEach((host, cookies) -> fresh.jar.put(host, new ConcurrentHashMap<>(cookies)));
        fresh.frontProxies.putAll(frontProxies);
        fresh.accept = accept;
        return fresh;
    }

    /** One answer as the client saw it. */
    public record Answer(String url, int status, Map<String, List<String>> headers, String body) {
        public Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return Optional.of(e.getValue().get(0));
                }
            }
            return Optional.empty();
        }

        public List<String> headers(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return List.of();
        }

        public String location() {
            return header("location").orElseThrow(() -> new AssertionError("no Location in " + status + " from " + url));
        }
    }

    /**
     * Speaks HTTPS instead of HTTP to the port this client sends the proxied hosts to, which is then
     * a TLS-terminating front proxy (as a browser reaches DSM's nginx); any certificate is accepted.
     */
    public SignInClient overTls() {
        try {
            tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5))
                    .sslContext(TestTls.acceptingAnyServer("TLS")).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Sends requests for {@code host} (name without port) to a front proxy on {@code port} instead of the proxy. */
    public SignInClient via(String host, int port) {
        frontProxies.put(host.toLowerCase(Locale.ROOT), port);
        return this;
    }

    /** Makes later requests send {@code value} as {@code Accept}. */
    public SignInClient accept(String value) {
        this.accept = value;
        return this;
    }

    /** One GET, no redirect followed. */
    public Answer get(String url, String... headers) throws IOException, InterruptedException {
        return send("GET", url, null, headers);
    }

    /** One POST of a form body. */
    public Answer post(String url, String form, String... headers) throws IOException, InterruptedException {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Content-Type";
        all[headers.length + 1] = "application/x-www-form-urlencoded";
        return send("POST", url, form, all);
    }

    /** GETs {@code url} and follows redirects (at most 10), returning every hop, the last one last. */
    public List<Answer> follow(String url, String... headers) throws IOException, InterruptedException {
        List<Answer> hops = new ArrayList<>();
        String next = url;
        for (int i = 0; i < 10; i++) {
            Answer answer = get(next, headers);
            hops.add(answer);
            if (answer.status() < 300 || answer.status() >= 400 || answer.header("location").isEmpty()) {
                return hops;
            }
            next = URI.create(answer.url()).resolve(answer.location()).toString();
        }
        throw new AssertionError("more than 10 redirects: " + hops.stream().map(Answer::url).toList());
    }

    /** The last hop of {@link #follow}. */
    public Answer open(String url, String... headers) throws IOException, InterruptedException {
        List<Answer> hops = follow(url, headers);
        return hops.get(hops.size() - 1);
    }

    /** The cookies kept for {@code host} (name without port), modifiable. */
    public Map<String, String> cookies(String host) {
        return jar.computeIfAbsent(host.toLowerCase(Locale.ROOT), h -> new LinkedHashMap<>());
    }

    private Answer send(String method, String url, String body, String... headers) throws IOException, InterruptedException {
        URI uri = URI.create(url);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        boolean viaProxy = proxiedSuffixes.stream().anyMatch(host::endsWith);
        int port = frontProxies.getOrDefault(host, proxyPort);
        URI target = viaProxy
                ? URI.create((tlsClient != null ? "https" : "http") + "://127.0.0.1:" + port + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                : uri;
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (viaProxy) {
            request.header("Host", uri.getRawAuthority());
        }
        boolean acceptGiven = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
            acceptGiven |= headers[i].equalsIgnoreCase("accept");
        }
        if (!acceptGiven && accept != null) {
            request.header("Accept", accept);
        }
        Map<String, String> cookies = cookies(host);
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
            request.header("Cookie", header.toString());
        }
        HttpResponse<String> response = (viaProxy && tlsClient != null ? tlsClient : http).send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("set-cookie")) {
            keep(cookies, setCookie);
        }
        return new Answer(url, response.statusCode(), response.headers().map(), response.body());
    }

    private static void keep(Map<String, String> cookies, String setCookie) {
        String[] parts = setCookie.split(";");
        int eq = parts[0].indexOf('=');
        String name = parts[0].substring(0, eq).strip();
        String value = parts[0].substring(eq + 1).strip();
        boolean expired = false;
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].strip().toLowerCase(Locale.ROOT);
            if (attribute.equals("max-age=0") || attribute.startsWith("max-age=-")) {
                expired = true;
            }
        }
        if (expired || value.isEmpty()) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }
}
