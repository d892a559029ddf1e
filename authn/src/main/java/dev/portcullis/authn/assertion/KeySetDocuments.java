package dev.portcullis.authn.assertion;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.JSONStringUtils;

/**
 * The JSON bodies that let upstreams verify assertions: the key set at
 * {@code /.well-known/pomerium/jwks.json} and the metadata at {@code /.well-known/pomerium}.
 *
 * <p>The key set is a JWK Set (RFC 7517 §5) with the public parts only of every published key (see
 * {@link SigningKeys}), built once, byte for byte as Pomerium's {@code JWKSHandler} writes it (go-jose's
 * member order: {@code use, kty, kid, crv, alg, x, y} for EC, {@code use, kty, kid, alg, n, e} for RSA; no
 * spaces), so that its {@link #jwksEtag() ETag} is Pomerium's too. The metadata has Pomerium's shape (its
 * {@code WellKnownPomerium} handler): {@code issuer}, {@code authentication_callback_endpoint},
 * {@code jwks_uri}, {@code frontchannel_logout_uri}, always with {@code https} (Pomerium's
 * {@code urlutil.GetAbsoluteURL} sets it whatever the request came over: behind a front proxy that ends
 * TLS, as with {@code insecure_server}, the browser's scheme is still https). Serving them (content type,
 * caching, CORS) is the proxy's business. Immutable and thread-safe.
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

    /** The members of a public JWK in the order go-jose writes them (its {@code rawJSONWebKey}). */
    private static final List<String> GO_JOSE_ORDER = List.of("use", "kty", "kid", "crv", "alg", "x", "y", "n", "e");

    private final String jwksJson;
    private final String jwksEtag;

    /** The documents publishing {@code key} alone. */
    public KeySetDocuments(SigningKey key) {
        this(SigningKeys.of(key));
    }

    /** The documents publishing every key of {@code keys}. */
    public KeySetDocuments(SigningKeys keys) {
        requireNonNull(keys, "keys");
        this.jwksJson = keys.published().stream().map(key -> goJoseJson(key.publicJwk()))
                .collect(Collectors.joining(",", "{\"keys\":[", "]}"));
        this.jwksEtag = "\"" + Long.toHexString(fnv1(jwksJson.getBytes(StandardCharsets.UTF_8))) + "\"";
    }

    /** {@code {"keys":[{"use":"sig","kty":…,"kid":…,…},…]}}, public parts only, the signing key first. */
    public String jwksJson() {
        return jwksJson;
    }

    /**
     * The key set's entity tag (RFC 9110 §8.8.3), a strong one: the 64-bit FNV-1 hash of its body in hex,
     * in quotes, as Pomerium's {@code JWKSHandler} computes it ({@code fnv.New64}).
     */
    public String jwksEtag() {
        return jwksEtag;
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

    private static String goJoseJson(JWK publicJwk) {
        Map<String, Object> members = publicJwk.toJSONObject();
        return GO_JOSE_ORDER.stream().filter(members::containsKey)
                .map(name -> JSONStringUtils.toJSONString(name) + ":" + JSONStringUtils.toJSONString(String.valueOf(members.get(name))))
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** FNV-1 (not 1a: multiply, then xor), 64 bits, as Go's {@code hash/fnv.New64}. */
    private static long fnv1(byte[] data) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : data) {
            hash *= 0x100000001b3L;
            hash ^= b & 0xff;
        }
        return hash;
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
