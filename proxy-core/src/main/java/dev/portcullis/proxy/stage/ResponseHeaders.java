package dev.portcullis.proxy.stage;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level {@code set_response_headers} (by default Pomerium's security headers), set on
 * every response the proxy sends: the upstream's, and its own pages, redirects and errors.
 * {@code Strict-Transport-Security} goes only on responses served over TLS: over plain HTTP a
 * browser ignores it (RFC 6797 §8.1), and behind a front proxy that ends TLS, that proxy is the
 * one to send it.
 */
public final class ResponseHeaders {
    private static final String STRICT_TRANSPORT_SECURITY = "Strict-Transport-Security";
    private final Map<String, String> overTls;
    private final Map<String, String> overPlainHttp;

    /** @param configured {@code set_response_headers} as configured (empty: none) */
    public ResponseHeaders(Map<String, String> configured) {
        this.overTls = Map.copyOf(configured);
        Map<String, String> plain = new LinkedHashMap<>(configured);
        plain.keySet().removeIf(name -> STRICT_TRANSPORT_SECURITY.equalsIgnoreCase(name));
        this.overPlainHttp = Map.copyOf(plain);
    }

    /** The headers for a response on a connection that is ({@code tls}) or is not TLS. */
    public Map<String, String> forConnection(boolean tls) {
        return tls ? overTls : overPlainHttp;
    }
}
