package dev.portcullis.authn.assertion;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.config.route.JwtIssuerFormat;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.SignedJWT;

/**
 * Makes the {@code X-Pomerium-Jwt-Assertion} value: a JWS compact serialization (RFC 7515 §7.1) of a
 * JWT (RFC 7519) with header {@code {"alg": ES256|RS256, "kid": <thumbprint>, "typ": "JWT"}} and the
 * claims listed in {@link AssertionClaims}.
 *
 * <p>Lifetime: {@code iat} is {@code now} in whole seconds; {@code exp} is at most
 * {@link #MAX_LIFETIME} later and never after the session's expiry, so an assertion copied from an
 * upstream is worthless once the session is over.
 *
 * <p>Signing is not done on every request: an assertion is reused for the same session and route
 * host while more than half of its lifetime is left (see {@link AssertionCache} for the bound and
 * eviction). Thread-safe and non-blocking, for use on event loops; a cache miss costs one ECDSA (or
 * RSA) signature.
 */
public final class AssertionSigner {

    /** The longest an assertion lives (COMPAT.md: {@code exp} at most 5 minutes ahead). */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    /** Cached assertions kept by {@link #AssertionSigner(SigningKey)}: one per active (session, host). */
    public static final int DEFAULT_CACHE_CAPACITY = 10_000;

    private static final int JWT_ID_BYTES = 16;

    private final SigningKey key;
    private final JWSHeader header;
    private final AssertionCache cache;
    private final SecureRandom random = NonBlockingRandom.get();

    /** A signer with a cache of {@link #DEFAULT_CACHE_CAPACITY} assertions. */
    public AssertionSigner(SigningKey key) {
        this(key, DEFAULT_CACHE_CAPACITY);
    }

    /**
     * @param cacheCapacity how many (session, host) assertions to keep, at least 1
     */
    public AssertionSigner(SigningKey key, int cacheCapacity) {
        this.key = requireNonNull(key, "key");
        this.header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid()).type(JOSEObjectType.JWT).build();
        this.cache = new AssertionCache(cacheCapacity);
    }

    /** The assertion for a route with the default {@code jwt_issuer_format: hostOnly}. */
    public String assertionFor(AssertionSubject subject, String routeHost, Instant now) {
        return assertionFor(subject, routeHost, JwtIssuerFormat.HOST_ONLY, now);
    }

    /**
     * The assertion of {@code subject}'s identity for the route at {@code routeHost}.
     *
     * @param routeHost    the route's host name as the upstream knows it, without a port (becomes {@code aud},
     *                     and {@code iss} as {@code issuerFormat} writes it)
     * @param issuerFormat the route's {@code jwt_issuer_format}
     * @param now          the current time
     * @throws IllegalArgumentException when the session has ended at {@code now} (no assertion may be made)
     */
    public String assertionFor(AssertionSubject subject, String routeHost, JwtIssuerFormat issuerFormat, Instant now) {
        requireNonNull(subject, "subject");
        requireNonNull(routeHost, "routeHost");
        requireNonNull(issuerFormat, "issuerFormat");
        requireNonNull(now, "now");
        if (routeHost.isBlank()) {
            throw new IllegalArgumentException("routeHost: blank (expected: the route's host)");
        }
        String cached = cache.reusable(subject, routeHost, issuerFormat, now);
        if (cached != null) {
            return cached;
        }
        AssertionCache.Entry fresh = sign(subject, routeHost, issuerFormat, now);
        cache.remember(routeHost, issuerFormat, fresh, now);
        return fresh.token();
    }

    /** The key this signer signs with. */
    public SigningKey signingKey() {
        return key;
    }

    /** How many assertions the cache holds now (for metrics and tests). */
    int cachedAssertions() {
        return cache.size();
    }

    private AssertionCache.Entry sign(AssertionSubject subject, String routeHost, JwtIssuerFormat issuerFormat, Instant now) {
        Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
        Instant sessionEnd = subject.sessionExpiresAt().truncatedTo(ChronoUnit.SECONDS);
        Instant latest = issuedAt.plus(MAX_LIFETIME);
        Instant expiresAt = sessionEnd.isBefore(latest) ? sessionEnd : latest;
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("subject.sessionExpiresAt: " + subject.sessionExpiresAt()
                    + " (expected: after now, " + now + "; an ended session gets no assertion)");
        }
        SignedJWT jwt = new SignedJWT(header, AssertionClaims.of(subject, routeHost, issuerFormat, newJwtId(), issuedAt, expiresAt));
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the assertion with " + key + " failed", e);
        }
        Instant renewAfter = issuedAt.plus(Duration.between(issuedAt, expiresAt).dividedBy(2));
        return new AssertionCache.Entry(subject, jwt.serialize(), issuedAt, renewAfter);
    }

    private String newJwtId() {
        byte[] bytes = new byte[JWT_ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
