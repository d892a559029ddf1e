package dev.portcullis.bench.session;

import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a signed-in request pays to open its {@code _pomerium} cookie: {@link SessionSealer#unseal} of a route
 * session, as the proxy calls it for every request. Two sessions: a small one (what the end-to-end bench's
 * built-in sign-in makes: email, no tokens) and a typical one from a provider (name, five groups, a few
 * claims, a refresh token; no ID or access token, which route cookies carry only when a route uses them).
 * The same cookie arrives again and again, as from a signed-in browser, so these two measure a cookie the sealer
 * has seen; {@link #openUnseen} one it has not. {@link #sealSmall} is the cost of writing a cookie, paid at
 * sign-in and renewal only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SessionOpeningBenchmark {
    private static final int UNSEEN = 8192;
    private SessionSealer sealer;
    private Session small;
    private String smallCookie;
    private String typicalCookie;
    private String[] unseenCookies;
    private int next;
    private Instant now;

    @Setup
    public void seal() {
        byte[] cookieSecret = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(cookieSecret);
        sealer = new SessionSealer(cookieSecret);
        now = Instant.now();
        Instant expires = now.plus(Duration.ofHours(14));
        small = new Session(Session.newSessionId(random), "alice@example.com", "alice@example.com", null, List.of(),
                Map.of(), now, expires, Optional.empty(), Optional.empty());
        Session typical = new Session(Session.newSessionId(random), "00u1a2b3c4d5e6f7g8h9", "alice@example.com",
                "Alice Example", List.of("family", "photos", "media", "admins", "nas-users"),
                Map.of("preferred_username", "alice", "email_verified", true, "tid",
                        "9188040d-6c67-4c5b-b112-36a304b66dad"),
                now, expires, Optional.empty(), Optional.of("r1." + "x".repeat(120)));
        smallCookie = sealer.seal(small, Purpose.ROUTE_SESSION);
        typicalCookie = sealer.seal(typical, Purpose.ROUTE_SESSION);
        unseenCookies = new String[UNSEEN];
        for (int i = 0; i < UNSEEN; i++) {
            unseenCookies[i] = sealer.seal(small, Purpose.ROUTE_SESSION);
        }
    }

    /**
     * A cookie the sealer has (almost certainly) not opened lately: cycling through {@value #UNSEEN} distinct ones,
     * eight times what it remembers, so nearly every call decrypts. What a new browser's first request pays.
     */
    @Benchmark
    public Optional<Session> openUnseen() {
        String cookie = unseenCookies[next];
        next = (next + 1) % UNSEEN;
        return sealer.unseal(cookie, Purpose.ROUTE_SESSION, now);
    }

    @Benchmark
    public Optional<Session> openSmall() {
        return sealer.unseal(smallCookie, Purpose.ROUTE_SESSION, now);
    }

    @Benchmark
    public Optional<Session> openTypical() {
        return sealer.unseal(typicalCookie, Purpose.ROUTE_SESSION, now);
    }

    @Benchmark
    public String sealSmall() {
        return sealer.seal(small, Purpose.ROUTE_SESSION);
    }
}
