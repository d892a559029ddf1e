package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.route.Route;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One complete, validated configuration snapshot. Immutable: a reload builds a new one.
 *
 * @param server           listener, TLS and downstream timeouts
 * @param forwarding       how requests are passed upstream (forwarded-header trust, default timeout)
 * @param secrets          the cookie and shared secrets (32 bytes each)
 * @param authenticateServiceUrl public URL of the sign-in host, when configured
 * @param authenticateCallbackPath identity provider redirect path on that host
 * @param responseHeaders  headers added to every response ({@code set_response_headers}); empty when disabled
 * @param logLevel         {@code debug}, {@code info}, {@code warn} or {@code error}
 * @param routes           every route, {@code policy:} entries first, then {@code routes:}, in file order
 */
public record Options(
        ServerOptions server,
        ForwardingOptions forwarding,
        Secrets secrets,
        Optional<URI> authenticateServiceUrl,
        String authenticateCallbackPath,
        Map<String, String> responseHeaders,
        String logLevel,
        List<Route> routes) {

    public Options {
        requireNonNull(server, "server");
        requireNonNull(forwarding, "forwarding");
        requireNonNull(secrets, "secrets");
        requireNonNull(authenticateServiceUrl, "authenticateServiceUrl");
        requireNonNull(authenticateCallbackPath, "authenticateCallbackPath");
        responseHeaders = Map.copyOf(responseHeaders);
        requireNonNull(logLevel, "logLevel");
        routes = List.copyOf(routes);
    }

    /**
     * The listener.
     *
     * @param address          {@code host:port} or {@code :port}; {@code :443} by default
     * @param insecureServer   plain HTTP on {@code address} (TLS ends in front, e.g. at DSM's nginx)
     * @param httpRedirectAddr a second plain-HTTP listener that redirects to https, e.g. {@code :80}
     * @param certificates     certificates chosen by SNI; empty means a self-signed one (unless insecure)
     * @param tlsMinVersion    {@code TLSv1.2} or {@code TLSv1.3}
     * @param timeoutRead      longest time to read a whole request ({@code timeout_read}, 30s); zero: none
     * @param timeoutWrite     longest time to write a whole response ({@code timeout_write}); zero: none
     * @param timeoutIdle      longest idle time of a kept-alive connection ({@code timeout_idle}, 5m)
     */
    public record ServerOptions(
            String address,
            boolean insecureServer,
            Optional<String> httpRedirectAddr,
            List<CertificatePair> certificates,
            String tlsMinVersion,
            Duration timeoutRead,
            Duration timeoutWrite,
            Duration timeoutIdle) {
        public ServerOptions {
            requireNonNull(address, "address");
            requireNonNull(httpRedirectAddr, "httpRedirectAddr");
            certificates = List.copyOf(certificates);
            requireNonNull(tlsMinVersion, "tlsMinVersion");
            requireNonNull(timeoutRead, "timeoutRead");
            requireNonNull(timeoutWrite, "timeoutWrite");
            requireNonNull(timeoutIdle, "timeoutIdle");
        }
    }

    /**
     * A certificate chain and its private key, both PEM text, already read from wherever the
     * configuration pointed (inline base64, a file, or the {@code certificates:} list).
     *
     * @param source         where it came from, for log lines and errors (never the key itself)
     * @param certificatePem the PEM certificate chain, leaf first
     * @param keyPem         the PEM private key
     */
    public record CertificatePair(String source, String certificatePem, String keyPem) {
        public CertificatePair {
            requireNonNull(source, "source");
            requireNonNull(certificatePem, "certificatePem");
            requireNonNull(keyPem, "keyPem");
        }

        @Override
        public String toString() {
            return "CertificatePair[" + source + "]";
        }
    }

    /**
     * How requests are passed upstream.
     *
     * @param xffNumTrustedHops      how many front proxies' {@code X-Forwarded-*} entries to believe (0)
     * @param skipXffAppend          do not append the client address to {@code X-Forwarded-For}
     * @param defaultUpstreamTimeout a route's {@code timeout} when it sets none (30s)
     */
    public record ForwardingOptions(int xffNumTrustedHops, boolean skipXffAppend, Duration defaultUpstreamTimeout) {
        public ForwardingOptions {
            requireNonNull(defaultUpstreamTimeout, "defaultUpstreamTimeout");
        }
    }

    /**
     * The two secrets every replica shares. Never printed: {@link #toString()} hides them.
     *
     * @param cookieSecret 32 bytes that seal cookies and OAuth state
     * @param sharedSecret 32 bytes that sign hand-offs and derive the default signing key
     */
    public record Secrets(byte[] cookieSecret, byte[] sharedSecret) {
        public Secrets {
            cookieSecret = cookieSecret.clone();
            sharedSecret = sharedSecret.clone();
        }

        @Override
        public byte[] cookieSecret() {
            return cookieSecret.clone();
        }

        @Override
        public byte[] sharedSecret() {
            return sharedSecret.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Secrets s
                    && java.security.MessageDigest.isEqual(cookieSecret, s.cookieSecret)
                    && java.security.MessageDigest.isEqual(sharedSecret, s.sharedSecret);
        }

        @Override
        public int hashCode() {
            return 0;
        }

        @Override
        public String toString() {
            return "Secrets[hidden]";
        }
    }
}
