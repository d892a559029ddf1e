package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;

/**
 * Who the passkeys are for (WebAuthn §5.4.2 {@code rp}): the relying party id is the authenticate host and the
 * only accepted origin is the authenticate service URL's origin. Passkeys are bound to the id, so changing
 * {@code authenticate_service_url} to another host leaves the passkeys registered before unusable.
 *
 * @param id     the RP ID: the authenticate host, lower-cased, without port
 * @param origin the origin a ceremony's client data must name, e.g. {@code https://authenticate.example.com}
 * @param name   the name authenticators show beside the passkey
 */
public record RelyingParty(String id, String origin, String name) {

    public RelyingParty {
        requireNonNull(id, "id");
        requireNonNull(origin, "origin");
        requireNonNull(name, "name");
    }

    /**
     * The relying party of the authenticate service at {@code authenticateServiceUrl}.
     *
     * @throws IllegalArgumentException when the URL is not absolute http(s) with a host
     */
    public static RelyingParty of(URI authenticateServiceUrl, String name) {
        requireNonNull(authenticateServiceUrl, "authenticateServiceUrl");
        String scheme = authenticateServiceUrl.getScheme() == null ? "" : authenticateServiceUrl.getScheme().toLowerCase(Locale.ROOT);
        String host = authenticateServiceUrl.getHost();
        if (!(scheme.equals("https") || scheme.equals("http")) || host == null || host.isEmpty()) {
            throw new IllegalArgumentException("authenticateServiceUrl: " + authenticateServiceUrl
                    + " (expected: https://host, the authenticate service URL)");
        }
        host = host.toLowerCase(Locale.ROOT);
        int port = authenticateServiceUrl.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return new RelyingParty(host, scheme + "://" + host + (defaultPort ? "" : ":" + port), name);
    }
}
