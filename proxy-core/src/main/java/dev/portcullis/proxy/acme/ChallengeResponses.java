package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.authn.store.redis.RedisAutocertStore;
import io.netty.handler.ssl.SslContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The answers to the ACME challenges in flight, published by {@link CertificateIssuer} while it
 * waits for a validation and removed right after. Lookups are a concurrent-map read: safe and cheap
 * on an event loop, never blocking.
 *
 * <ul>
 *   <li>HTTP-01 (RFC 8555 §8.3): the port-80 listener answers {@code GET /.well-known/acme-challenge/{token}}
 *       with {@code 200}, {@code Content-Type: application/octet-stream} and {@link #http01(String)} as
 *       the body, and {@code 404} when it is empty.</li>
 *   <li>TLS-ALPN-01 (RFC 8737): when a ClientHello offers ALPN {@value #ACME_TLS_1} (see
 *       {@link ClientHelloInspector}), the TLS listener completes that handshake with
 *       {@link #tlsAlpn01(String)} for the SNI host name, {@code ctx.pipeline().replace(..., context.newHandler(alloc))},
 *       and closes the connection after it (the validation certificate serves nothing else). When it
 *       is empty, the handshake is refused.</li>
 * </ul>
 *
 * <p>{@link #shared Shared} by replicas on one Redis, the HTTP-01 answers are also published there before the ACME
 * server is asked to validate, so that {@link #http01OnAnyReplica} finds them whichever replica the validation
 * request reaches (one Redis round trip, asynchronous, for a token this replica does not hold). TLS-ALPN-01
 * answers stay local: the validation handshake must reach the replica that ordered.
 */
public final class ChallengeResponses {
    /** The ALPN protocol of TLS-ALPN-01 validation handshakes (RFC 8737 §6.2). */
    public static final String ACME_TLS_1 = "acme-tls/1";

    /** How long a published HTTP-01 answer stays in Redis should the replica that published it not withdraw it. */
    static final Duration SHARED_HTTP01_LIFETIME = Duration.ofMinutes(10);
    /** ACME tokens are base64url (RFC 8555 §8.1); anything else is not looked up. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private final Map<String, String> http01 = new ConcurrentHashMap<>();
    private final Map<String, SslContext> tlsAlpn01 = new ConcurrentHashMap<>();
    private final Optional<RedisAutocertStore> shared;
    private final Clock clock;

    /** The answers of this process alone. */
    public ChallengeResponses() {
        this(Optional.empty(), Clock.systemUTC());
    }

    private ChallengeResponses(Optional<RedisAutocertStore> shared, Clock clock) {
        this.shared = shared;
        this.clock = clock;
    }

    /** The answers of every replica on {@code redis}: HTTP-01 answers are published there too. */
    public static ChallengeResponses shared(RedisAutocertStore redis, Clock clock) {
        return new ChallengeResponses(Optional.of(requireNonNull(redis, "redis")), requireNonNull(clock, "clock"));
    }

    /**
     * The key authorization to send for {@code token}, when a challenge with that token is in flight on this replica
     * or, when {@link #shared}, on any replica. Completes at once for this replica's tokens; otherwise with Redis's
     * answer, on one of Lettuce's threads, or with {@link StoreUnavailable} when Redis cannot answer.
     */
    public CompletionStage<Optional<String>> http01OnAnyReplica(String token) {
        Optional<String> local = http01(token);
        if (local.isPresent() || shared.isEmpty() || !TOKEN.matcher(token).matches()) {
            return CompletableFuture.completedFuture(local);
        }
        return shared.get().http01(token);
    }

    /** The key authorization to send for {@code token}, when a challenge with that token is in flight. */
    public Optional<String> http01(String token) {
        requireNonNull(token, "token");
        return Optional.ofNullable(http01.get(token));
    }

    /**
     * The server context for an {@code acme-tls/1} handshake for {@code host} (case-insensitive):
     * it presents the self-signed validation certificate with the {@code acmeIdentifier} extension
     * and selects ALPN {@value #ACME_TLS_1}. A JDK-provider context, which holds no native memory
     * and needs no release.
     */
    public Optional<SslContext> tlsAlpn01(String host) {
        requireNonNull(host, "host");
        return Optional.ofNullable(tlsAlpn01.get(normalize(host)));
    }

    /**
     * Answers {@code token} from now on; when {@link #shared}, the stage completes once every replica answers it
     * too (or fails with {@link StoreUnavailable}).
     */
    CompletionStage<Void> putHttp01(String token, String keyAuthorization) {
        http01.put(requireNonNull(token, "token"), requireNonNull(keyAuthorization, "keyAuthorization"));
        return shared.map(redis -> redis.putHttp01(token, keyAuthorization, clock.instant().plus(SHARED_HTTP01_LIFETIME)))
                .orElseGet(() -> CompletableFuture.completedFuture(null));
    }

    /** Stops answering {@code token}; in Redis it is withdrawn in the background (and expires in any case). */
    void removeHttp01(String token) {
        http01.remove(token);
        shared.ifPresent(redis -> redis.removeHttp01(token));
    }

    void putTlsAlpn01(String host, SslContext context) {
        tlsAlpn01.put(normalize(host), requireNonNull(context, "context"));
    }

    void removeTlsAlpn01(String host) {
        tlsAlpn01.remove(normalize(host));
    }

    /** True when no challenge is in flight. */
    public boolean isEmpty() {
        return http01.isEmpty() && tlsAlpn01.isEmpty();
    }

    private static String normalize(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
