package dev.portcullis.proxy.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The system's Pebble (Let's Encrypt's test ACME server) with its {@code pebble-challtestsrv} as the
 * DNS server, so every name resolves to 127.0.0.1 (A only; no AAAA) and Pebble validates challenges
 * against the test's own responders on {@code httpPort} (HTTP-01) and {@code tlsPort} (TLS-ALPN-01).
 *
 * <p>Pebble's HTTPS listener gets a freshly generated self-signed certificate for 127.0.0.1 and
 * localhost ({@link #httpsCertificatePem()}: what the client must trust); the directory is
 * {@link #directory()}. Runs with {@code PEBBLE_VA_NOSLEEP=1} (no artificial validation delay),
 * {@code PEBBLE_WFE_NONCEREJECT=0} (no bad-nonce injections) and {@code PEBBLE_AUTHZREUSE=0} (every
 * order validates). Both programs run out of a temporary directory and are killed at {@link #close()}.
 *
 * <p>Skipped (a JUnit assumption) when {@code /usr/bin/pebble} is missing (install the Debian package
 * {@code pebble}) or {@code PORTCULLIS_SKIP_PEBBLE=1}.
 */
public final class TestPebble implements AutoCloseable {
    public static final String SKIP_VARIABLE = "PORTCULLIS_SKIP_PEBBLE";
    private static final Path PEBBLE = Path.of("/usr/bin/pebble");
    private static final Path CHALLTESTSRV = Path.of("/usr/bin/pebble-challtestsrv");
    private static final Duration START_WAIT = Duration.ofSeconds(15);

    private final Path dir;
    private final List<Process> processes;
    private final int port;
    private final int managementPort;
    private final int challtestsrvManagementPort;
    private final String httpsCertificatePem;
    private final HttpClient client;

    private TestPebble(Path dir, List<Process> processes, int port, int managementPort, int challtestsrvManagementPort,
            String httpsCertificatePem, HttpClient client) {
        this.challtestsrvManagementPort = challtestsrvManagementPort;
        this.dir = dir;
        this.processes = processes;
        this.port = port;
        this.managementPort = managementPort;
        this.httpsCertificatePem = httpsCertificatePem;
        this.client = client;
    }

    /**
     * Starts Pebble validating HTTP-01 on {@code httpPort} and TLS-ALPN-01 on {@code tlsPort} (both at
     * 127.0.0.1), issuing certificates valid for {@code validity} when given (Pebble's
     * {@code certificateValidityPeriod}), else its default.
     */
    public static TestPebble start(int httpPort, int tlsPort, Optional<Duration> validity) throws Exception {
        return start(httpPort, tlsPort, validity, Map.of());
    }

    /**
     * As {@link #start(int, int, Optional)}, and when {@code eabMacKeys} is not empty, requiring an
     * external account binding with one of these key identifiers and base64url MAC keys.
     */
    public static TestPebble start(int httpPort, int tlsPort, Optional<Duration> validity, Map<String, String> eabMacKeys)
            throws Exception {
        Assumptions.assumeFalse("1".equals(System.getenv(SKIP_VARIABLE)), SKIP_VARIABLE + "=1");
        Assumptions.assumeTrue(Files.isExecutable(PEBBLE) && Files.isExecutable(CHALLTESTSRV),
                PEBBLE + " is missing: install the Debian package \"pebble\" to run the ACME tests");
        Path dir = Files.createTempDirectory("portcullis-pebble");
        List<Process> processes = new ArrayList<>();
        try {
            String[] material = httpsCertificate();
            Path certificate = Files.writeString(dir.resolve("pebble.crt"), material[0]);
            Path key = Files.writeString(dir.resolve("pebble.key"), material[1]);
            int dnsPort = freeTcpAndUdpPort();
            int port = TestIdentityProvider.freePort();
            int managementPort = TestIdentityProvider.freePort();
            int challtestsrvManagementPort = TestIdentityProvider.freePort();
            Path config = Files.writeString(dir.resolve("pebble-config.json"), """
                    {
                      "pebble": {
                        "listenAddress": "127.0.0.1:%d",
                        "managementListenAddress": "127.0.0.1:%d",
                        "certificate": "%s",
                        "privateKey": "%s",
                        "httpPort": %d,
                        "tlsPort": %d,
                        "ocspResponderURL": "",
                        "externalAccountBindingRequired": %s,
                        "externalAccountMACKeys": {%s}%s
                      }
                    }
                    """.formatted(port, managementPort, certificate, key, httpPort, tlsPort, !eabMacKeys.isEmpty(),
                    eabMacKeys.entrySet().stream().map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"")
                            .collect(java.util.stream.Collectors.joining(", ")),
                    validity.map(v -> ",\n    \"certificateValidityPeriod\": " + v.toSeconds()).orElse("")));
            processes.add(launch(dir, "challtestsrv", new ProcessBuilder(CHALLTESTSRV.toString(),
                    "-dns01", "127.0.0.1:" + dnsPort,
                    "-http01", "", "-https01", "", "-tlsalpn01", "",
                    "-management", "127.0.0.1:" + challtestsrvManagementPort,
                    "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""), Map.of()));
            processes.add(launch(dir, "pebble", new ProcessBuilder(PEBBLE.toString(),
                    "-config", config.toString(), "-dnsserver", "127.0.0.1:" + dnsPort),
                    Map.of("PEBBLE_VA_NOSLEEP", "1", "PEBBLE_WFE_NONCEREJECT", "0", "PEBBLE_AUTHZREUSE", "0")));
            HttpClient client = HttpClient.newBuilder().sslContext(trusting(material[0]))
                    .connectTimeout(Duration.ofSeconds(2)).build();
            TestPebble pebble = new TestPebble(dir, processes, port, managementPort, challtestsrvManagementPort, material[0], client);
            pebble.awaitDirectory();
            return pebble;
        } catch (Exception | Error e) {
            processes.forEach(TestPebble::kill);
            throw e;
        }
    }

    /** The ACME directory URL, {@code https://127.0.0.1:PORT/dir}. */
    public URI directory() {
        return URI.create("https://127.0.0.1:" + port + "/dir");
    }

    /** The self-signed certificate of Pebble's HTTPS listeners (ACME and management), PEM. */
    public String httpsCertificatePem() {
        return httpsCertificatePem;
    }

    /** Pebble's current root CA (management API {@code /roots/0}), which signs the chains it issues. */
    public X509Certificate root() throws IOException, InterruptedException, GeneralSecurityException {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + managementPort + "/roots/0")).build(), HttpResponse.BodyHandlers.ofByteArray());
        Assertions.assertEquals(200, response.statusCode(), "GET /roots/0");
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(response.body()));
    }

    /** What Pebble and the DNS server wrote so far. */
    public String logs() {
        StringBuilder text = new StringBuilder();
        for (String name : List.of("challtestsrv", "pebble")) {
            text.append("--- ").append(name).append(" ---\n").append(FrontProxyProcess.read(dir.resolve(name + ".log")));
        }
        return text.toString();
    }

    private void awaitDirectory() throws InterruptedException, IOException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    Assertions.fail("Pebble did not start (exit " + process.exitValue() + "):\n" + logs());
                }
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(directory()).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200 && dnsAnswers()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        Assertions.fail("Pebble's directory " + directory() + " did not answer within " + START_WAIT + ":\n" + logs());
    }

    /** True once challtestsrv listens (its management port, bound with its DNS listeners at start). */
    private boolean dnsAnswers() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), challtestsrvManagementPort)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static Process launch(Path dir, String name, ProcessBuilder builder, Map<String, String> env) throws IOException {
        builder.environment().putAll(env);
        Path log = dir.resolve(name + ".log");
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void kill(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A port free for both TCP and UDP (the DNS server binds both). */
    private static int freeTcpAndUdpPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = tcp.getLocalPort();
            }
            try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }

    /** A self-signed P-256 certificate for 127.0.0.1 and localhost: [certificate PEM, PKCS#8 key PEM]. */
    private static String[] httpsCertificate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=Pebble test listener");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new String[] {pem(certificate), pem(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()))};
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private static SSLContext trusting(String pem) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("pebble", CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** Kills Pebble and its DNS server and deletes their directory. */
    @Override
    public void close() {
        processes.forEach(TestPebble::kill);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
