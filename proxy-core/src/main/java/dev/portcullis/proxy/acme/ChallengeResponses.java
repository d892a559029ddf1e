package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.SslContext;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
 */
public final class ChallengeResponses {
    /** The ALPN protocol of TLS-ALPN-01 validation handshakes (RFC 8737 §6.2). */
    public static final String ACME_TLS_1 = "acme-tls/1";

    private final Map<String, String> http01 = new ConcurrentHashMap<>();
    private final Map<String, SslContext> tlsAlpn01 = new ConcurrentHashMap<>();

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

    void putHttp01(String token, String keyAuthorization) {
        http01.put(requireNonNull(token, "token"), requireNonNull(keyAuthorization, "keyAuthorization"));
    }

    void removeHttp01(String token) {
        http01.remove(token);
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
