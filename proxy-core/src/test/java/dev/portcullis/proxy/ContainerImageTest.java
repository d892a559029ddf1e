package dev.portcullis.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestContainer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestNginx;
import dev.portcullis.proxy.testing.TestTls;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image itself, built from {@code docker/Dockerfile} with {@code docker/build-offline.sh} and run
 * with podman the way the Synology guide runs Pomerium's: environment variables only ({@code POLICY}
 * as base64 YAML, the secrets, an OpenID Connect provider, {@code INSECURE_SERVER=TRUE}), host
 * networking, plain HTTP behind a TLS-terminating nginx as DSM's. A user signs in through the real
 * provider and the upstream receives the JWT assertion; then what a NAS owner meets: the health check,
 * the non-root user, a read-only root file system, a mounted {@code config.yaml} edited on the host,
 * {@code docker stop} with a request in flight, and a secret file the container user cannot read.
 *
 * <p>Skipped with {@code PORTCULLIS_SKIP_CONTAINER=1}; without podman it fails saying what to install.
 */
class ContainerImageTest {
    private static final String COOKIE_SECRET = "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=";
    private static final String SHARED_SECRET = "V5v7Q7pN3t1zq3cQm1Z3i1Qy0qj7g5l3Z1xH9m0cY2o=";
    private static final Duration START_WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Modules {@code jdeps} finds in the jar that docker/Dockerfile leaves out of the runtime, and says why. */
    private static final Set<String> LEFT_OUT_OF_THE_RUNTIME = Set.of("java.desktop", "jdk.jfr");

    private static final List<AutoCloseable> cleanup = new ArrayList<>();
    private static Path dir;
    private static TestIdentityProvider idp;
    private static TestUpstream httpbin;
    private static TestUpstream files;
    private static TestContainer synology;
    private static int synologyPort;
    private static TestNginx dsm;
    private static String volume;

    @BeforeAll
    static void buildAndStart() throws Exception {
        TestContainer.requirePodman();
        TestContainer.buildImage(repository());
        dir = Files.createTempDirectory("portcullis-container-");
        idp = keep(new TestIdentityProvider());
        httpbin = keep(new TestUpstream("httpbin"));
        files = keep(new TestUpstream("files"));

        volume = "portcullis-test-data-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(TestContainer.podman("volume", "create", volume).exitCode()).isZero();
        synologyPort = TestIdentityProvider.freePort();
        // --read-only-tmpfs=false: Docker's --read-only leaves /tmp read-only too (podman's default mounts a tmpfs there).
        synology = start(synologyPort, guideEnvironment(synologyPort),
                "--network=host", "--read-only", "--read-only-tmpfs=false", "-v", volume + ":/data");
        dsm = keep(frontFor(synologyPort));
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            try {
                cleanup.get(i).close();
            } catch (Exception e) {
                // go on removing the rest
            }
        }
        if (volume != null) {
            TestContainer.podman("volume", "rm", "-f", volume);
        }
        if (dir != null) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void theGuidesEnvironmentSignsInBehindTlsAndTheUpstreamGetsTheAssertion() throws Exception {
        SignInClient browser = new SignInClient(dsm.port(), ".int.nas.example").overTls();
        idp.nextUser("alice", "alice@example.com", List.of(), 3600);

        List<Answer> hops = browser.follow("https://httpbin.int.nas.example/get");

        assertThat(hops.get(0).location()).startsWith("https://authenticate.int.nas.example/.pomerium/sign_in?");
        Answer last = hops.get(hops.size() - 1);
        assertThat(last.status()).as("%s", hops).isEqualTo(200);
        assertThat(last.url()).isEqualTo("https://httpbin.int.nas.example/get");
        assertThat(httpbin.lastRequest().header("X-Pomerium-Jwt-Assertion")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");

        SignInClient stranger = new SignInClient(dsm.port(), ".int.nas.example").overTls();
        idp.nextUser("mallory", "mallory@example.com", List.of(), 3600);
        assertThat(stranger.open("https://httpbin.int.nas.example/get").status()).isEqualTo(403);
    }

    @Test
    void theHealthCheckPasses() throws Exception {
        TestContainer.Result check = TestContainer.podman("healthcheck", "run", synology.name());
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void theProxyRunsAsUid65532() throws Exception {
        TestContainer.Result status = synology.exec("/bin/busybox", "cat", "/proc/1/status");
        assertThat(status.stdout()).containsPattern("(?m)^Uid:\\s+65532\\s+65532\\s+65532\\s+65532$")
                .containsPattern("(?m)^Gid:\\s+65532\\s");
    }

    @Test
    void aReadOnlyRootFileSystemServesAndOnlyTheDataVolumeIsWritable() throws Exception {
        assertThat(get(synologyPort, "/ping", "x").statusCode()).isEqualTo(200);
        TestContainer.Result root = synology.exec("/bin/busybox", "touch", "/written-by-test");
        assertThat(root.exitCode()).isNotZero();
        assertThat(root.output()).contains("Read-only file system");
        TestContainer.Result data = synology.exec("/bin/busybox", "touch", "/data/written-by-test");
        assertThat(data.exitCode()).as(data.output()).isZero();
        // Netty's native transport is loaded from the image, not copied out of the jar into the read-only /tmp.
        assertThat(synology.logs()).containsPattern("listening on :" + synologyPort + " \\(.*epoll transport");
    }

    @Test
    void aMountedConfigFileEditedOnTheHostIsServedWithoutARestart() throws Exception {
        TestUpstream other = keep(new TestUpstream("files-moved"));
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, filesRoute(files));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        int port = TestIdentityProvider.freePort();
        Map<String, String> environment = guideEnvironment(port);
        environment.remove("POLICY");
        TestContainer container = start(port, environment, "--network=host", "-v", config + ":/pomerium/config.yaml:ro");
        TestNginx front = keep(frontFor(port));
        SignInClient browser = new SignInClient(front.port(), ".int.nas.example").overTls();
        assertThat(browser.get("https://files.int.nas.example/").body()).contains("\"upstream\":\"files\"");

        Files.writeString(config, filesRoute(other)); // in place, as `echo … > config.yaml` or nano does

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline && !body.contains("\"upstream\":\"files-moved\"")) {
            body = browser.get("https://files.int.nas.example/").body();
            Thread.sleep(100);
        }
        assertThat(body).as(container.logs()).contains("\"upstream\":\"files-moved\"");
        assertThat(container.status()).isEqualTo("running");
    }

    @Test
    void stopFinishesTheRequestInFlightAndExitsWithinTheGracePeriod() throws Exception {
        int port = TestIdentityProvider.freePort();
        TestContainer container = start(port, guideEnvironment(port), "--network=host");
        CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(request(port, "/slow/3000", "public.int.nas.example"),
                HttpResponse.BodyHandlers.ofString());
        awaitUpstreamSaw("/slow/3000");

        long started = System.nanoTime();
        TestContainer.Result stop = TestContainer.podman("stop", "-t", "10", container.name());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(stop.exitCode()).as(stop.output()).isZero();
        HttpResponse<String> answer = slow.get();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("slow\n");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(container.awaitExit(Duration.ofSeconds(5))).as("exit code (137 would be SIGKILL)").isIn(0, 143);
        assertThat(container.logs()).contains("stopping: no new connections").contains("\"message\":\"stopped\"");
    }

    @Test
    void aSecretFileTheContainerUserCannotReadStopsStartUpWithOneSentenceSayingWhatToDo() throws Exception {
        Path secret = dir.resolve("cookie_secret");
        Files.writeString(secret, COOKIE_SECRET);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------")); // root's, as on a NAS
        int port = TestIdentityProvider.freePort();
        Map<String, String> environment = guideEnvironment(port);
        environment.remove("COOKIE_SECRET");
        environment.put("COOKIE_SECRET_FILE", "/run/secrets/cookie_secret");
        TestContainer container = keep(TestContainer.run(List.of("--network=host", "-v", secret + ":/run/secrets/cookie_secret:ro"),
                environment, List.of()));

        assertThat(container.awaitExit(START_WAIT)).as("exit code: a configuration error").isEqualTo(2);
        String logs = container.logs().replace("\\\"", "\""); // as a person reads the JSON log line
        String sentence = "\"/run/secrets/cookie_secret\" cannot be read by user 65532 (permission denied): give that user"
                + " read access (\"chown 65532 /run/secrets/cookie_secret\" or, for a file that holds no secret,"
                + " \"chmod 0644 /run/secrets/cookie_secret\") or run Portcullis as a user that can read it (docker run --user)";
        // The summary a person reads on stderr (the JSON audit line before it carries the same problem for log collectors).
        assertThat(logs).contains("portcullis: the configuration has 1 problem:\n"
                + "  COOKIE_SECRET_FILE (cookie_secret_file): " + sentence + "\n");
        assertThat(logs).doesNotContain(COOKIE_SECRET);
    }

    /**
     * The image's application class-data sharing archive fits its runtime and jar: with {@code -Xshare:on} the
     * JVM refuses to start when an archive cannot be mapped, and {@code class+load} says where a class came from.
     */
    @Test
    void theProxysClassesAreMappedFromTheImagesClassDataArchive() throws Exception {
        TestContainer container = keep(TestContainer.run(List.of(),
                Map.of("_JAVA_OPTIONS", "-Xshare:on -Xlog:class+load=info:stdout"), List.of("--version")));

        assertThat(container.awaitExit(START_WAIT)).as(container.logs()).isZero();
        assertThat(container.logs()).contains("dev.portcullis.proxy.cli.Main source: shared objects file (top)");
    }

    /**
     * The jlinked runtime has every module the image's jar uses: {@code jdeps} on the jar copied out of the image,
     * against the image's {@code java --list-modules}. A module missing here fails only when its feature is used
     * ({@code metrics_address}, {@code autocert}, OTLP tracing), which no other test of the image does. Only
     * {@code java.desktop} and {@code jdk.jfr} may be missing: they are left out on purpose (see docker/Dockerfile).
     */
    @Test
    void theImagesRuntimeHasEveryModuleTheJarUses() throws Exception {
        String copy = "portcullis-test-jar-" + UUID.randomUUID().toString().substring(0, 8);
        Path jar = dir.resolve(copy + ".jar");
        assertThat(TestContainer.podman("create", "--name", copy, TestContainer.IMAGE).exitCode()).isZero();
        try {
            TestContainer.Result copied = TestContainer.podman("cp", copy + ":/opt/portcullis/portcullis.jar",
                    jar.toString());
            assertThat(copied.exitCode()).as(copied.output()).isZero();
        } finally {
            TestContainer.podman("rm", "-f", copy);
        }
        java.io.StringWriter out = new java.io.StringWriter();
        int jdeps = java.util.spi.ToolProvider.findFirst("jdeps").orElseThrow().run(new java.io.PrintWriter(out),
                new java.io.PrintWriter(new java.io.StringWriter()), "--print-module-deps", "--ignore-missing-deps",
                "--multi-release", "17", jar.toString());
        assertThat(jdeps).as(out.toString()).isZero();
        List<String> used = List.of(out.toString().strip().split(","));

        TestContainer.Result listed = TestContainer.podman("run", "--rm", "--ulimit", "nofile=4096:4096",
                "--ulimit", "nproc=4096:4096", "--entrypoint", "/opt/portcullis/bin/java", TestContainer.IMAGE,
                "--list-modules");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        List<String> present = listed.stdout().lines().map(line -> line.split("@")[0].strip()).toList();

        assertThat(present).as("modules of the image's runtime").containsAll(
                used.stream().filter(module -> !LEFT_OUT_OF_THE_RUNTIME.contains(module)).toList());
    }

    /** {@code metrics_address} serves Prometheus metrics from the image (the JDK's HTTP server module is there). */
    @Test
    void prometheusMetricsAreServedFromTheImage() throws Exception {
        int port = TestIdentityProvider.freePort();
        int metricsPort = TestIdentityProvider.freePort();
        Map<String, String> environment = new LinkedHashMap<>(guideEnvironment(port));
        environment.put("METRICS_ADDRESS", "127.0.0.1:" + metricsPort);
        start(port, environment, "--network=host");

        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("pomerium_build_info");
    }

    // ------------------------------------------------------------------ helpers

    /** The Synology guide's Environment tab, with this machine's provider and upstream. */
    private static Map<String, String> guideEnvironment(int port) {
        String policy = """
                - from: https://httpbin.int.nas.example
                  to: %1$s
                  policy:
                    - allow:
                        or:
                          - email:
                              is: alice@example.com
                - from: https://public.int.nas.example
                  to: %1$s
                  allow_public_unauthenticated_access: true
                """.formatted(httpbin.url());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("POLICY", Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8)));
        environment.put("INSECURE_SERVER", "TRUE");
        environment.put("IDP_CLIENT_SECRET", TestIdentityProvider.CLIENT_SECRET);
        environment.put("IDP_CLIENT_ID", TestIdentityProvider.CLIENT_ID);
        environment.put("IDP_PROVIDER", "oidc");
        environment.put("IDP_PROVIDER_URL", idp.issuerUrl());
        environment.put("COOKIE_SECRET", COOKIE_SECRET);
        environment.put("AUTHENTICATE_SERVICE_URL", "https://authenticate.int.nas.example");
        environment.put("SHARED_SECRET", SHARED_SECRET);
        environment.put("ADDRESS", ":" + port);
        return environment;
    }

    private static String filesRoute(TestUpstream upstream) {
        return """
                routes:
                  - from: https://files.int.nas.example
                    to: %s
                    allow_public_unauthenticated_access: true
                """.formatted(upstream.url());
    }

    /** Starts a container and waits until {@code /ping} answers on {@code port}; fails with its log when it exits instead. */
    private static TestContainer start(int port, Map<String, String> environment, String... options) throws Exception {
        TestContainer container = keep(TestContainer.run(List.of(options), environment, List.of()));
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, "/ping", "x").statusCode() == 200) {
                    return container;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (container.exitCode().isPresent()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(container.name() + " did not answer /ping on :" + port + " (" + container.status()
                + "); its log:\n" + container.logs());
    }

    /** DSM's reverse proxy: TLS on a loopback port, plain HTTP to the container, the headers DSM sets. */
    private static TestNginx frontFor(int containerPort) throws Exception {
        TestTls.PemFiles pem = TestTls.write(dir, "nas-" + containerPort,
                SelfSignedCertificate.generate(List.of("*.int.nas.example")));
        return TestNginx.start(port -> """
                server {
                    listen 127.0.0.1:%d ssl;
                    ssl_certificate %s;
                    ssl_certificate_key %s;
                    location / {
                        proxy_pass http://127.0.0.1:%d;
                        proxy_http_version 1.1;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Real-IP $remote_addr;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                    }
                }
                """.formatted(port, pem.certificate(), pem.key(), containerPort));
    }

    private static HttpRequest request(int port, String path, String host) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Host", host)
                .timeout(Duration.ofSeconds(20)).build();
    }

    private static HttpResponse<String> get(int port, String path, String host) throws IOException, InterruptedException {
        return HTTP.send(request(port, path, host), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitUpstreamSaw(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (httpbin.requests().stream().anyMatch(r -> r.rawPath().equals(path))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the upstream never received " + path);
    }

    private static <T extends AutoCloseable> T keep(T closeable) {
        cleanup.add(closeable);
        return closeable;
    }

    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("docker/build-offline.sh"))) {
            here = here.getParent();
        }
        assertThat(here).as("docker/build-offline.sh above " + Path.of("").toAbsolutePath()).isNotNull();
        return here;
    }
}
