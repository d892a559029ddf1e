package dev.portcullis.authn.assertion;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The JSON bodies that let upstreams verify assertions: the key set at
 * {@code /.well-known/pomerium/jwks.json} and the metadata at {@code /.well-known/pomerium}.
 *
 * <p>The key set is a JWK Set (RFC 7517 §5) with the signing key's public parts only
 * ({@code use: sig}, {@code kty}, {@code kid}, {@code alg}, and {@code crv}/{@code x}/{@code y} for EC
 * or {@code n}/{@code e} for RSA), built once. The metadata has Pomerium's shape (its
 * {@code WellKnownPomerium} handler): {@code issuer}, {@code authentication_callback_endpoint},
 * {@code jwks_uri}, {@code frontchannel_logout_uri}. Serving them (content type, caching, CORS) is the
 * proxy's business. Immutable and thread-safe.
 */
public final class KeySetDocuments {

    /** Where the key set is served on every route host and on the authenticate host. */
    public static final String JWKS_PATH = "/.well-known/pomerium/jwks.json";

    /** Where the metadata is served. */
    public static final String WELL_KNOWN_PATH = "/.well-known/pomerium";

    /** The sign-out endpoint that {@code frontchannel_logout_uri} names. */
    public static final String SIGN_OUT_PATH = "/.pomerium/sign_out";

    // host or [IPv6], then an optional port: what a Host header may hold, and nothing that could
    // change the shape of the URLs built from it.
    private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(:[0-9]{1,5})?");

    private final String jwksJson;

    public KeySetDocuments(SigningKey key) {
        requireNonNull(key, "key");
        this.jwksJson = new JWKSet(key.publicJwk()).toString(true);
    }

    /** {@code {"keys":[{"use":"sig","kty":…,"kid":…,"alg":…,…}]}}, public parts only. */
    public String jwksJson() {
        return jwksJson;
    }

    /**
     * The {@code /.well-known/pomerium} document as answered on {@code routeHost}:
     * <pre>{@code
     * {"issuer": "https://<routeHost>/",
     *  "authentication_callback_endpoint": "<authenticateServiceUrl with path callbackPath>",
     *  "jwks_uri": "https://<routeHost>/.well-known/pomerium/jwks.json",
     *  "frontchannel_logout_uri": "https://<routeHost>/.pomerium/sign_out"}
     * }</pre>
     *
     * @param authenticateServiceUrl {@code authenticate_service_url}, an absolute http(s) URL; its path is replaced
     * @param callbackPath           {@code authenticate_callback_path}, starting with {@code /}
     * @param routeHost              the host (and port, if any) the request was made to
     * @throws IllegalArgumentException when an argument does not have the expected form
     */
    public String wellKnownJson(String authenticateServiceUrl, String callbackPath, String routeHost) {
        requireNonNull(authenticateServiceUrl, "authenticateServiceUrl");
        requireNonNull(callbackPath, "callbackPath");
        requireNonNull(routeHost, "routeHost");
        if (!HOST_AND_PORT.matcher(routeHost).matches()) {
            throw new IllegalArgumentException("routeHost: \"" + routeHost + "\" (expected: host or host:port)");
        }
        String origin = "https://" + routeHost;
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", origin + "/");
        document.put("authentication_callback_endpoint", callbackUrl(authenticateServiceUrl, callbackPath));
        document.put("jwks_uri", origin + JWKS_PATH);
        document.put("frontchannel_logout_uri", origin + SIGN_OUT_PATH);
        return JSONObjectUtils.toJSONString(document);
    }

    private static String callbackUrl(String authenticateServiceUrl, String callbackPath) {
        if (!callbackPath.startsWith("/")) {
            throw new IllegalArgumentException("callbackPath: \"" + callbackPath + "\" (expected: a path starting with /)");
        }
        URI base;
        try {
            base = new URI(authenticateServiceUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("authenticateServiceUrl: \"" + authenticateServiceUrl + "\" (expected: an absolute URL)");
        }
        String scheme = base.getScheme();
        if (base.getHost() == null || !("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("authenticateServiceUrl: \"" + authenticateServiceUrl + "\" (expected: an absolute http or https URL)");
        }
        try {
            return scheme.toLowerCase(Locale.ROOT) + "://" + base.getRawAuthority()
                    + new URI(null, null, callbackPath, null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("callbackPath: \"" + callbackPath + "\" (expected: a URL path)");
        }
    }
}
