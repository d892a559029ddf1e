package dev.portcullis.proxy.testing;

import dev.portcullis.authn.testing.TestClock;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.Options;
import dev.portcullis.proxy.access.PolicyGate;
import dev.portcullis.proxy.server.ProxyServer;
import dev.portcullis.proxy.signin.SignInStores;
import dev.portcullis.proxy.transport.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy under test, started in-process on a loopback port 0 from a YAML configuration (the
 * secrets are added when the YAML has none), with a JDK HTTP client aimed at it.
 */
public final class RunningProxy implements AutoCloseable {
    public static final String SECRET = "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=";

    private final ProxyServer server;
    private final HttpClient client;

    private RunningProxy(ProxyServer server) {
        this.server = server;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Starts the proxy with {@code yaml} as its configuration file and no environment. */
    public static RunningProxy start(String yaml) throws Exception {
        return start(yaml, Map.of());
    }

    public static RunningProxy start(String yaml, Map<String, String> environment) throws Exception {
        return start(yaml, environment, java.time.Clock.systemUTC());
    }

    /**
     * Starts the proxy with sign-in and policies reading the time from {@code clock} (e.g. a {@link TestClock}), and
     * sign-in's state where the configuration says ({@code databroker_storage_type}: memory unless it names Redis).
     */
    public static RunningProxy start(String yaml, Map<String, String> environment, java.time.Clock clock) throws Exception {
        return new RunningProxy(ProxyServer.start(load(yaml, environment), Transport.best(), new PolicyGate(clock), clock));
    }

    /** Starts the proxy with {@code clock}, and sign-in's state kept in {@code stores} (e.g. a {@link StoreOutage}'s). */
    public static RunningProxy start(String yaml, Map<String, String> environment, java.time.Clock clock,
            SignInStores stores) throws Exception {
        return new RunningProxy(ProxyServer.start(load(yaml, environment), Transport.best(), new PolicyGate(clock), clock,
                stores));
    }

    /** Loads a configuration the way the command line does, with defaults for a test. */
    public static Options load(String yaml, Map<String, String> environment) throws IOException, ConfigException {
        Path file = Files.createTempFile("portcullis-test", ".yaml");
        try {
            Files.writeString(file, withDefaults(yaml));
            return new ConfigLoader(new HashMap<>(environment)).load(Optional.of(file)).options();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * {@code yaml} with what a test proxy needs and does not set: a free port on loopback, plain
     * HTTP unless certificates are named, and the secrets.
     */
    public static String withDefaults(String yaml) {
        StringBuilder full = new StringBuilder();
        // A top-level address only: metrics_address or http_redirect_addr must not leave the proxy on :443.
        if (!java.util.regex.Pattern.compile("(?m)^address:").matcher(yaml).find()) {
            full.append("address: 127.0.0.1:0\n");
        }
        if (!yaml.contains("insecure_server:") && !yaml.contains("certificate")) {
            full.append("insecure_server: true\n");
        }
        if (!yaml.contains("cookie_secret")) {
            full.append("cookie_secret: ").append(SECRET).append('\n');
        }
        if (!yaml.contains("shared_secret")) {
            full.append("shared_secret: ").append(SECRET).append('\n');
        }
        return full.append(yaml).toString();
    }

    public ProxyServer server() {
        return server;
    }

    public int port() {
        return server.address().getPort();
    }

    public HttpClient client() {
        return client;
    }

    /** A request to {@code path} on this proxy with the Host header {@code host}. */
    public HttpRequest.Builder request(String host, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("Host", host)
                .timeout(Duration.ofSeconds(20));
    }

    public HttpResponse<String> get(String host, String path) throws IOException, InterruptedException {
        return client.send(request(host, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
