package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.TestUpstream;
import dev.portcullis.proxy.testing.TestUpstream.Recorded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes request heads through a real proxy to a recording upstream (the JDK's server). The input is
 * text, one part per line: the method, the request target, then headers as {@code name: value}; a
 * line {@code @session} adds a valid session ({@code Authorization: Bearer Pomerium-…}). Whatever the
 * input, for a request that can be sent at all:
 * <ol>
 *   <li>the proxy answers, and never with a 5xx;</li>
 *   <li>a method or target that {@link RequestMethod} or {@link RequestTarget} refuses is answered 400 and
 *       reaches nobody; otherwise, if the upstream got the request, it got the method as sent and exactly
 *       {@link RequestTarget#pathAndQuery()}, what the policy judged;</li>
 *   <li>no header the proxy owns ({@link OwnedHeaders}) reaches the upstream except the proxy's own, with the
 *       proxy's values: {@code X-Forwarded-For/Proto/Host}, {@code X-Request-Id}, and for a session the
 *       assertion (verified against the proxy's key set) and the mapped claim header.</li>
 * </ol>
 *
 * <p>A plain {@code mvn test} replays the inputs in {@code RequestHeadFuzzTestInputs/fuzzRequestHead}
 * (the attack classes of the path and header tests) in under a second; {@code JAZZER_FUZZ=1} fuzzes
 * (see docs/proxy.md, "How this is tested").
 */
class RequestHeadFuzzTest {
    private static final String HOST = "fuzz.example";
    private static final String SESSION_LINE = "@session";
    /**
     * Put in front of every path by the route's {@code to}, so that the fuzzer cannot reach the recording
     * upstream's own paths ({@code /status/500}, {@code /slow/…}) and mistake its answers for the proxy's.
     */
    private static final String UPSTREAM_PREFIX = "/echo";
    /** Headers that frame the request or the connection: a fuzzed value would make the request unsendable or hang it. */
    private static final Set<String> FRAMING = Set.of("host", "content-length", "transfer-encoding", "connection",
            "expect", "upgrade", "te", "keep-alive", "proxy-connection", "trailer", "http2-settings");
    private static final List<String> OWNED_PREFIXES = List.of("x-pomerium-", "x-forwarded-", "remote-", "x-auth-request-");
    private static final Set<String> OWNED_NAMES = Set.of("forwarded", "x-real-ip", "x-original-url", "x-request-id", "x-email");

    private static TestUpstream upstream;
    private static RunningProxy proxy;
    private static String sessionToken;
    private static JwtConsumer assertions;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream("fuzz");
        proxy = RunningProxy.start("""
                jwt_claims_headers:
                  X-Email: email
                routes:
                  - from: http://%s
                    to: %s%s/
                    policy:
                      - allow:
                          or:
                            - http_path:
                                starts_with: /
                        deny:
                          or:
                            - http_path:
                                starts_with: /admin
                """.formatted(HOST, upstream.url(), UPSTREAM_PREFIX));
        Instant now = Instant.now();
        Session alice = new Session("c2Vzc2lvbi1pZC1mdXp6", "alice", "alice@example.com", "Alice", List.of(),
                Map.of(), now, now.plus(Duration.ofHours(2)), Optional.empty(), Optional.empty());
        sessionToken = new SessionSealer(Base64.getDecoder().decode(RunningProxy.SECRET)).seal(alice, Purpose.ROUTE_SESSION);
        String jwks = proxy.get(HOST, "/.well-known/pomerium/jwks.json").body();
        assertions = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer(HOST)
                .setExpectedAudience(HOST)
                .setRequireExpirationTime()
                .build();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (upstream != null) upstream.close();
    }

    /** A request head read from the fuzzer's text. */
    private record Head(String method, String target, List<String[]> headers, boolean session) {
        /** Null when the text cannot be sent as one request (a space in the target, an empty method …). */
        static Head read(byte[] input) {
            String[] lines = new String(input, StandardCharsets.ISO_8859_1).split("\n", -1);
            if (lines.length < 2) {
                return null;
            }
            String method = lines[0];
            String target = lines[1];
            if (method.isEmpty() || target.isEmpty() || !sendable(method) || !sendable(target)) {
                return null;
            }
            List<String[]> headers = new ArrayList<>();
            boolean session = false;
            for (int i = 2; i < lines.length && headers.size() < 16; i++) {
                String line = lines[i];
                if (line.equals(SESSION_LINE)) {
                    session = true;
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon);
                String value = line.substring(colon + 1).strip();
                if (isToken(name) && value.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)
                        && !FRAMING.contains(name.toLowerCase(Locale.ROOT))
                        && !name.equalsIgnoreCase("authorization") && !name.equalsIgnoreCase("cookie")) {
                    headers.add(new String[] {name, value});
                }
            }
            return new Head(method, target, headers, session);
        }

        String request() {
            StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(HOST).append("\r\n");
            headers.forEach(h -> request.append(h[0]).append(": ").append(h[1]).append("\r\n"));
            if (session) {
                request.append("Authorization: ").append(ProxyCredentials.BEARER_PREFIX).append(sessionToken).append("\r\n");
            }
            return request.append("Connection: close\r\n\r\n").toString();
        }

        @Override
        public String toString() {
            return request().replace(sessionToken == null ? "\u0000" : sessionToken, "<session>");
        }

        /** No space or control character, which would end the request line's part or the line itself. */
        private static boolean sendable(String part) {
            return part.chars().allMatch(c -> c > 0x20 && c != 0x7f);
        }

        private static boolean isToken(String name) {
            return name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void fuzzRequestHead(byte[] input) throws Exception {
        allowLoopbackConnections();
        Head head = Head.read(input);
        if (head == null) {
            return;
        }
        int before = upstream.requests().size();
        RawHttp.Answer answer = RawHttp.send(proxy.port(), head.request());

        assertThat(answer.text()).as("the proxy answers %s", head).startsWith("HTTP/1.1 ");
        assertThat(answer.status()).as("no 5xx for %s", head).isLessThan(500);
        List<Recorded> seen = upstream.requests();
        boolean forwarded = seen.size() > before;

        Optional<RequestTarget> judged = judged(head);
        if (judged.isEmpty()) {
            assertThat(answer.status()).as("refused: %s", head).isEqualTo(400);
            assertThat(forwarded).as("a refused request reaches nobody: %s", head).isFalse();
            return;
        }
        if (!forwarded) {
            return;
        }
        Recorded recorded = seen.get(seen.size() - 1);
        assertThat(recorded.method()).isEqualTo(head.method());
        assertThat(recorded.rawPath()).as("the upstream gets what the policy judged: %s", head)
                .isEqualTo(UPSTREAM_PREFIX + judged.get().pathAndQuery());
        assertThat(judged.get().path()).as("the policy denies /admin").doesNotStartWith("/admin");
        assertOnlyTheProxysOwnHeaders(recorded, head);
    }

    /**
     * The proxy's whole point is to connect to its upstream on loopback: not the server-side request
     * forgery Jazzer's sanitizer reports while fuzzing. Its policy can only be set once the sanitizers
     * are loaded, which a plain test run (hooks off) never does.
     */
    private static void allowLoopbackConnections() {
        try {
            BugDetectors.allowNetworkConnections((host, port) -> host.equals("127.0.0.1") || host.equals("localhost"));
        } catch (IllegalStateException sanitizersNotLoaded) {
            // nothing to allow
        }
    }

    private static Optional<RequestTarget> judged(Head head) {
        try {
            RequestMethod.parse(head.method());
            return Optional.of(RequestTarget.parse(head.target()));
        } catch (RequestMethod.InvalidRequestMethodException | RequestTarget.InvalidRequestTargetException e) {
            return Optional.empty();
        }
    }

    private static void assertOnlyTheProxysOwnHeaders(Recorded recorded, Head head) throws Exception {
        for (Map.Entry<String, List<String>> header : recorded.headers().entrySet()) {
            String name = header.getKey();
            if (!isOwned(name)) {
                continue;
            }
            List<String> values = header.getValue();
            switch (name) {
                case "x-forwarded-for" -> assertThat(values).as("%s", head).containsExactly("127.0.0.1");
                case "x-forwarded-proto" -> assertThat(values).as("%s", head).containsExactly("http");
                case "x-forwarded-host" -> assertThat(values).as("%s", head).containsExactly(HOST);
                case "x-request-id" -> assertThat(values).as("%s", head).singleElement().asString().matches("[0-9a-f]{16}");
                // without a session, Pomerium's assertion of no one and an empty claim header
                case "x-email" -> assertThat(values).as("%s", head).containsExactly(head.session() ? "alice@example.com" : "");
                case "x-pomerium-jwt-assertion" -> {
                    assertThat(values).as("%s", head).hasSize(1);
                    assertThat(assertions.processToClaims(values.get(0)).getSubject()).as("%s", head)
                            .isEqualTo(head.session() ? "alice" : "");
                }
                default -> throw new AssertionError("the client's " + name + ": " + values + " reached the upstream: " + head);
            }
        }
        if (head.session()) {
            assertThat(recorded.header("x-pomerium-jwt-assertion")).as("the session's assertion: %s", head).isNotNull();
        }
    }

    /**
     * Written out here rather than asked of {@link OwnedHeaders}, so that a weakened trust boundary fails
     * this test instead of agreeing with it: any case, anything but a letter or digit read as {@code -}.
     */
    private static boolean isOwned(String name) {
        String spelled = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "-");
        return OWNED_PREFIXES.stream().anyMatch(spelled::startsWith) || OWNED_NAMES.contains(spelled);
    }
}
