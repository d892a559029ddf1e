package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

/**
 * A provider's discovery document and the key set its {@code jwks_uri} names (fetched lazily, cached
 * and rate-limited by Nimbus, with the provider timeouts).
 *
 * @param metadata the OpenID Provider metadata, issuer already checked
 * @param keys     the provider's signing keys
 */
record DiscoveredProvider(OIDCProviderMetadata metadata, JWKSource<SecurityContext> keys) {
    DiscoveredProvider {
        requireNonNull(metadata, "metadata");
        requireNonNull(keys, "keys");
    }
}
