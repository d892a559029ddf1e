package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

/**
 * A provider's discovery document and the key set its {@code jwks_uri} names (fetched lazily, cached
 * and rate-limited by Nimbus, with the provider timeouts).
 *
 * @param metadata the OpenID Provider metadata; read the issuer from {@link #issuer()}, not from here
 * @param issuer   the issuer the document announced, already checked: the configured one, or a
 *                 {@link TenantIssuer} template (which Nimbus's metadata cannot hold, as it is no URI)
 * @param keys     the provider's signing keys
 */
record DiscoveredProvider(OIDCProviderMetadata metadata, Issuer issuer, JWKSource<SecurityContext> keys) {
    DiscoveredProvider {
        requireNonNull(metadata, "metadata");
        requireNonNull(issuer, "issuer");
        requireNonNull(keys, "keys");
    }
}
