package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Start-up from the environment alone, the https redirect listener, and graceful shutdown. */
class LifecycleTest {

    @Test
    void theSynologyEnvironmentAloneServesTheRoute() throws Exception {
        try (TestUpstream httpbin = new TestUpstream("httpbin")) {
            String policy = Base64.getMimeEncoder().encodeToString("""
                    - from: https://httpbin.int.nas.example
                      to: %s
                      allow_public_unauthenticated_access: true
                    """.formatted(httpbin.url()).getBytes(StandardCharsets.UTF_8));
            try (RunningProxy proxy = RunningProxy.start("", Map.of(
                    "POLICY", policy,
                    "INSECURE_SERVER", "TRUE",
                    "ADDRESS", "127.0.0.1:0",
                    "COOKIE_SECRET", RunningProxy.SECRET,
                    "SHARED_SECRET", RunningProxy.SECRET))) {
                HttpResponse<String> response = proxy.get("httpbin.int.nas.example:8443", "/headers");
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(httpbin.lastRequest().header("x-forwarded-proto")).isEqualTo("https");
                assertThat(proxy.get("other.int.nas.example", "/").statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void theEnvironmentOverridesTheFile() throws Exception {
        try (TestUpstream fromFile = new TestUpstream("file"); TestUpstream fromEnv = new TestUpstream("env")) {
            String policy = Base64.getEncoder().encodeToString("""
                    - from: https://app.example.com
                      to: %s
                      allow_public_unauthenticated_access: true
                    """.formatted(fromEnv.url()).getBytes(StandardCharsets.UTF_8));
            try (RunningProxy proxy = RunningProxy.start("""
                    insecure_server: false
                    routes:
                      - from: https://app.example.com
                        to: %s
                        allow_public_unauthenticated_access: true
                    """.formatted(fromFile.url()), Map.of("INSECURE_SERVER", "true", "POLICY", policy))) {
                assertThat(proxy.get("app.example.com", "/").body()).contains("\"upstream\":\"env\"");
            }
        }
    }

    @Test
    void theRedirectListenerSendsPlainHttpToHttps() throws Exception {
        try (RunningProxy proxy = RunningProxy.start("""
                http_redirect_addr: 127.0.0.1:0
                routes:
                  - from: https://app.example.com
                    response: {status: 200, body: ok}
                    allow_public_unauthenticated_access: true
                """)) {
            int port = proxy.server().redirectAddress().orElseThrow().getPort();
            HttpResponse<String> response = proxy.client().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/some/path?x=1")).header("Host", "app.example.com:80").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(301);
            assertThat(response.headers().firstValue("location")).hasValue("https://app.example.com/some/path?x=1");
        }
    }

    @Test
    void shutdownLetsRequestsInFlightFinishAndRefusesNewConnections() throws Exception {
        try (TestUpstream upstream = new TestUpstream("up")) {
            RunningProxy proxy = RunningProxy.start("""
                    routes:
                      - from: https://app.example.com
                        to: %s
                        allow_public_unauthenticated_access: true
                    """.formatted(upstream.url()));
            CompletableFuture<HttpResponse<String>> slow = proxy.client().sendAsync(
                    proxy.request("app.example.com", "/slow/800").build(), HttpResponse.BodyHandlers.ofString());
            while (proxy.server().inFlightRequests() == 0) {
                Thread.sleep(5);
            }
            proxy.server().shutdownGracefully(Duration.ofSeconds(5));
            assertThat(slow.get().statusCode()).isEqualTo(200);
            assertThat(slow.get().body()).isEqualTo("slow\n");
            HttpClient fresh = HttpClient.newHttpClient();
            assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/ping"))
                    .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
        }
    }
}
