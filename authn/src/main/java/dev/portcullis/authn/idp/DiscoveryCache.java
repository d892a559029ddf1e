package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.MalformedURLException;
import net.minidev.json.JSONObject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect Discovery 1.0 §4 for one issuer: fetches {@code {issuer}/.well-known/openid-configuration},
 * checks that the document's {@code issuer} is the configured one (a trailing slash aside; Microsoft's
 * multi-tenant endpoints announce a {@link TenantIssuer template} in its place), and keeps
 * the result once it succeeded. A failure fails the call with {@code UNAVAILABLE}; a later call tries
 * again, but not sooner than {@link #RETRY_AFTER} after the failure, so an outage at the provider
 * does not turn every sign-in into a discovery request. Blocking: call from the blocking executor.
 */
final class DiscoveryCache {

    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(DiscoveryCache.class);
    private static final int JWKS_SIZE_LIMIT = 512 * 1024;

    private final URI issuer;
    private final ProviderTransport transport;
    private final Clock clock;

    private DiscoveredProvider discovered;
    private Instant failedAt;
    private String failure;

    DiscoveryCache(URI issuer, ProviderTransport transport, Clock clock) {
        this.issuer = requireNonNull(issuer, "issuer");
        this.transport = requireNonNull(transport, "transport");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The issuer's metadata and keys; throws {@link IdentityProviderException} (UNAVAILABLE) on failure. */
    synchronized DiscoveredProvider get() {
        if (discovered != null) {
            return discovered;
        }
        if (failedAt != null && clock.instant().isBefore(failedAt.plus(RETRY_AFTER))) {
            throw IdentityProviderException.unavailable(failure + " (retried at most every "
                    + RETRY_AFTER.toSeconds() + " s)");
        }
        try {
            discovered = fetch();
            failedAt = null;
            return discovered;
        } catch (IdentityProviderException e) {
            failedAt = clock.instant();
            failure = e.getMessage();
            log.warn("OpenID Connect discovery for {}: {}", issuer, e.getMessage());
            throw e;
        }
    }

    private DiscoveredProvider fetch() {
        URI documentUri = URI.create(withoutTrailingSlash(issuer.toString()) + "/.well-known/openid-configuration");
        HTTPResponse response = transport.send(new HTTPRequest(HTTPRequest.Method.GET, documentUri), "discovery");
        if (response.getStatusCode() != HTTPResponse.SC_OK) {
            throw IdentityProviderException.unavailable(
                    "discovery failed: " + documentUri + " answered " + response.getStatusCode());
        }
        JSONObject document;
        try {
            document = response.getBodyAsJSONObject();
        } catch (ParseException e) {
            throw notMetadata(documentUri);
        }
        if (!(document.get("issuer") instanceof String announced)) {
            throw notMetadata(documentUri);
        }
        if (!TenantIssuer.fits(announced, issuer.toString())) {
            throw IdentityProviderException.unavailable("discovery failed: the document names issuer " + announced
                    + " (expected: " + issuer + ")");
        }
        OIDCProviderMetadata metadata;
        try {
            // Nimbus wants the issuer to be a URI; a tenant template is not one, and is kept aside
            JSONObject parseable = new JSONObject(document);
            parseable.put("issuer", announced.replace(TenantIssuer.PLACEHOLDER, "tenantid"));
            metadata = OIDCProviderMetadata.parse(parseable);
        } catch (ParseException e) {
            throw notMetadata(documentUri);
        }
        if (metadata.getJWKSetURI() == null) {
            throw IdentityProviderException.unavailable("discovery failed: the document has no jwks_uri");
        }
        return new DiscoveredProvider(metadata, new Issuer(announced), keySource(metadata.getJWKSetURI()));
    }

    private static IdentityProviderException notMetadata(URI documentUri) {
        return IdentityProviderException.unavailable("discovery failed: " + documentUri
                + " is not an OpenID Provider configuration");
    }

    private static JWKSource<SecurityContext> keySource(URI jwksUri) {
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(
                (int) ProviderTransport.CONNECT_TIMEOUT.toMillis(), (int) ProviderTransport.READ_TIMEOUT.toMillis(),
                JWKS_SIZE_LIMIT);
        try {
            return JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL(), retriever).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw IdentityProviderException.unavailable("discovery failed: jwks_uri " + jwksUri + " is not a URL");
        }
    }

    private static String withoutTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
