package dev.portcullis.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code metrics_address}: the series a scrape shows after real requests, basic auth, and bounded labels. */
class MetricsTest {
    static final String SERVICE = "service=\"pomerium\"";

    private TestUpstream upstream;
    private ServerSocket silent;
    private RunningProxy proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("app");
        silent = new ServerSocket(0); // accepts connections (backlog) and never answers
        proxy = RunningProxy.start("""
                metrics_address: 127.0.0.1:0
                routes:
                  - from: http://app.test
                    to: %1$s
                    name: app
                    allow_public_unauthenticated_access: true
                  - from: http://docs.test
                    to: %1$s
                    name: docs
                    policy:
                      - allow:
                          and:
                            - http_method:
                                in: [GET, HEAD]
                            - http_path:
                                starts_with: /docs/
                  - from: http://private.test
                    to: %1$s
                    name: private
                    allowed_users: [alice@example.com]
                  - from: http://down.test
                    to: http://127.0.0.1:1
                    name: down
                    allow_public_unauthenticated_access: true
                  - from: http://slow.test
                    to: http://127.0.0.1:%2$d
                    name: slow
                    timeout: 300ms
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url(), silent.getLocalPort()));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        silent.close();
        upstream.close();
    }

    private int metricsPort() {
        return proxy.server().metricsAddress().orElseThrow().getPort();
    }

    private static String requests(String host, String method, int status, String route) {
        return "pomerium_http_server_requests_total{host=\"%s\",http_method=\"%s\",http_status=\"%d\",route=\"%s\",%s}"
                .formatted(host, method, status, route, SERVICE);
    }

    private static String durationCount(String host, String method, int status, String route) {
        return "pomerium_http_server_request_duration_ms_count{host=\"%s\",http_method=\"%s\",http_status=\"%d\",route=\"%s\",%s}"
                .formatted(host, method, status, route, SERVICE);
    }

    private HttpResponse<String> send(String host, String method, String path) throws Exception {
        return proxy.client().send(proxy.request(host, path).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aScrapeShowsPomeriumsSeriesAndPortcullisOwnWithExactValues() throws Exception {
        assertThat(proxy.get("app.test", "/a").statusCode()).isEqualTo(200);
        assertThat(proxy.get("app.test", "/b?x=1").statusCode()).isEqualTo(200);
        assertThat(send("app.test", "POST", "/form").statusCode()).isEqualTo(200);
        assertThat(send("app.test", "PROPFIND", "/dav").statusCode()).isEqualTo(200);
        assertThat(proxy.get("app.test", "/status/503").statusCode()).isEqualTo(503);
        assertThat(proxy.get("nowhere.test", "/x").statusCode()).isEqualTo(404);
        assertThat(proxy.get("docs.test", "/docs/intro").statusCode()).isEqualTo(200);
        assertThat(proxy.get("docs.test", "/admin").statusCode()).isEqualTo(403);
        assertThat(proxy.get("private.test", "/").statusCode()).isEqualTo(403);
        assertThat(proxy.get("down.test", "/").statusCode()).isEqualTo(502);
        assertThat(proxy.get("slow.test", "/").statusCode()).isEqualTo(504);

        Scrape scrape = Scrape.of(metricsPort());

        assertThat(scrape.value(requests("app.test", "GET", 200, "app"))).isEqualTo(2);
        assertThat(scrape.value(requests("app.test", "POST", 200, "app"))).isEqualTo(1);
        assertThat(scrape.value(requests("app.test", "other", 200, "app"))).as("PROPFIND is not a label value").isEqualTo(1);
        assertThat(scrape.value(requests("app.test", "GET", 503, "app"))).isEqualTo(1);
        assertThat(scrape.value(requests("unknown", "GET", 404, "none"))).isEqualTo(1);
        assertThat(scrape.value(requests("down.test", "GET", 502, "down"))).isEqualTo(1);
        assertThat(scrape.value(requests("slow.test", "GET", 504, "slow"))).isEqualTo(1);
        assertThat(scrape.value(durationCount("app.test", "GET", 200, "app"))).isEqualTo(2);
        assertThat(scrape.value("pomerium_http_server_request_duration_ms_bucket{host=\"app.test\",http_method=\"GET\","
                + "http_status=\"200\",route=\"app\"," + SERVICE + ",le=\"+Inf\"}")).isEqualTo(2);
        assertThat(scrape.value(durationCount("slow.test", "GET", 504, "slow"))).isEqualTo(1);
        assertThat(scrape.value("pomerium_http_server_request_duration_ms_sum{host=\"slow.test\",http_method=\"GET\","
                + "http_status=\"504\",route=\"slow\"," + SERVICE + "}")).as("the 300ms timeout, in ms").isGreaterThanOrEqualTo(290);

        assertThat(scrape.value("portcullis_http_requests_total{route=\"app\",status_class=\"2xx\"}")).isEqualTo(4);
        assertThat(scrape.value("portcullis_http_requests_total{route=\"app\",status_class=\"5xx\"}")).isEqualTo(1);
        assertThat(scrape.value("portcullis_http_requests_total{route=\"none\",status_class=\"4xx\"}")).isEqualTo(1);

        assertThat(scrape.value("portcullis_policy_decisions_total{result=\"allow\",route=\"app\"}")).isEqualTo(5);
        assertThat(scrape.value("portcullis_policy_decisions_total{result=\"allow\",route=\"docs\"}")).isEqualTo(1);
        assertThat(scrape.value("portcullis_policy_decisions_total{result=\"deny\",route=\"docs\"}")).isEqualTo(1);
        assertThat(scrape.value("portcullis_policy_decisions_total{result=\"sign_in\",route=\"private\"}")).isEqualTo(1);
        assertThat(scrape.seriesStartingWith("portcullis_policy_decisions_total{")).hasSize(6);

        assertThat(scrape.value("portcullis_upstream_errors_total{kind=\"connect_error\",route=\"down\"}")).isEqualTo(1);
        assertThat(scrape.value("portcullis_upstream_errors_total{kind=\"timeout\",route=\"slow\"}")).isEqualTo(1);
        assertThat(scrape.seriesStartingWith("portcullis_upstream_errors_total{")).hasSize(2);

        assertThat(scrape.value("pomerium_config_last_reload_success{" + SERVICE + "}")).isEqualTo(1);
        assertThat(scrape.value("pomerium_config_last_reload_success_timestamp{" + SERVICE + "}"))
                .isBetween(System.currentTimeMillis() / 1000.0 - 120, System.currentTimeMillis() / 1000.0 + 1);
        assertThat(scrape.seriesStartingWith("pomerium_build_info{")).singleElement().asString()
                .contains(SERVICE).contains("version=\"").contains("javaversion=\"");
        assertThat(scrape.value(scrape.seriesStartingWith("pomerium_build_info{").iterator().next())).isEqualTo(1);
        assertThat(scrape.seriesStartingWith("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                "system_cpu_count", "process_uptime_seconds", "process_cpu_usage"))
                .anySatisfy(s -> assertThat(s).startsWith("jvm_memory_used_bytes"))
                .anySatisfy(s -> assertThat(s).startsWith("jvm_threads_live_threads"))
                .anySatisfy(s -> assertThat(s).startsWith("system_cpu_count"))
                .anySatisfy(s -> assertThat(s).startsWith("process_uptime_seconds"));
        assertThat(scrape.text()).as("never a path or query").doesNotContain("/form").doesNotContain("x=1")
                .doesNotContain("/docs/intro").doesNotContain("nowhere.test");
    }

    @Test
    void openConnectionsAreAGaugeThatFollowsTheListener() throws Exception {
        String gauge = "portcullis_connections_open";
        double before = Scrape.of(metricsPort()).value(gauge);
        try (Socket one = new Socket("127.0.0.1", proxy.port()); Socket two = new Socket("127.0.0.1", proxy.port())) {
            assertThat(one.isConnected() && two.isConnected()).isTrue();
            awaitGauge(gauge, before + 2);
        }
        awaitGauge(gauge, before);
        assertThat(Scrape.of(metricsPort()).series()).containsKey("portcullis_requests_in_flight");
    }

    private void awaitGauge(String series, double expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        double seen;
        do {
            seen = Scrape.of(metricsPort()).value(series);
            if (seen == expected) {
                return;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertThat(seen).as(series).isEqualTo(expected);
    }

    @Test
    void aThousandRequestsToDistinctPathsAndHostsAddNoSeries() throws Exception {
        for (int i = 0; i < 3; i++) {
            proxy.get("app.test", "/warm/" + i);
            proxy.get("host-" + i + ".example", "/warm/" + i);
        }
        String[] ours = {"pomerium_", "portcullis_"};
        Scrape before = Scrape.of(metricsPort());

        for (int i = 0; i < 500; i++) {
            assertThat(proxy.get("app.test", "/user/u" + i + "@example.com/item-" + i).statusCode()).isEqualTo(200);
            assertThat(proxy.get("distinct-" + i + ".example", "/p/" + i).statusCode()).isEqualTo(404);
        }

        Scrape after = Scrape.of(metricsPort());
        assertThat(after.seriesStartingWith(ours)).isEqualTo(before.seriesStartingWith(ours));
        assertThat(after.value(requests("app.test", "GET", 200, "app"))).isEqualTo(503);
        assertThat(after.value(requests("unknown", "GET", 404, "none"))).isEqualTo(503);
        assertThat(after.text()).doesNotContain("distinct-").doesNotContain("@example.com").doesNotContain("item-");
    }

    @Test
    void basicAuthAnswers401WithoutTheRightCredentials() throws Exception {
        proxy.close();
        String credentials = Base64.getEncoder().encodeToString("prometheus:s3cret".getBytes());
        proxy = RunningProxy.start("""
                metrics_address: 127.0.0.1:0
                metrics_basic_auth: %s
                routes:
                  - from: http://app.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(credentials, upstream.url()));

        HttpResponse<String> none = Scrape.get(metricsPort(), "/metrics");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
        assertThat(none.body()).doesNotContain("pomerium_");
        String wrong = Base64.getEncoder().encodeToString("prometheus:s3creT".getBytes());
        assertThat(Scrape.get(metricsPort(), "/metrics", "Authorization", "Basic " + wrong).statusCode()).isEqualTo(401);
        assertThat(Scrape.get(metricsPort(), "/metrics", "Authorization", "Basic !!").statusCode()).isEqualTo(401);
        assertThat(Scrape.get(metricsPort(), "/metrics", "Authorization", "Bearer " + credentials).statusCode()).isEqualTo(401);

        HttpResponse<String> right = Scrape.get(metricsPort(), "/metrics", "Authorization", "Basic " + credentials);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(right.headers().firstValue("content-type")).hasValue(MetricsServer.CONTENT_TYPE);
        assertThat(right.body()).contains("pomerium_build_info{");
        assertThat(Scrape.get(metricsPort(), "/other", "Authorization", "Basic " + credentials).statusCode()).isEqualTo(404);
    }

    @Test
    void offWithoutMetricsAddress() throws Exception {
        proxy.close();
        proxy = RunningProxy.start("""
                routes:
                  - from: http://app.test
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url()));
        assertThat(proxy.server().metricsAddress()).isEmpty();
        assertThat(proxy.get("app.test", "/").statusCode()).isEqualTo(200);
    }
}
