package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.util.Optional;

/**
 * Validates ID tokens per OpenID Connect Core 1.0 §3.1.3.7 with Nimbus's {@link IDTokenValidator}:
 * signature against the provider's key set, {@code iss} equal to the discovered issuer (for a
 * {@link TenantIssuer template}, filled with the token's tenant), {@code aud}
 * containing the client id ({@code azp} checked when there are several audiences), {@code exp} and
 * {@code iat} with {@value #MAX_CLOCK_SKEW_SECONDS} s of skew, and the nonce when one is expected.
 * Rejects unsecured and HMAC-signed tokens. Time is read from the system clock (Nimbus's choice).
 */
final class IdTokenVerifier {

    static final int MAX_CLOCK_SKEW_SECONDS = 60;

    private final ClientID clientId;

    IdTokenVerifier(ClientID clientId) {
        this.clientId = requireNonNull(clientId, "clientId");
    }

    /**
     * The token's claims once valid; throws {@code REJECTED} when it is not, {@code UNAVAILABLE}
     * when the keys could not be fetched.
     *
     * @param expectedNonce the sign-in's nonce; empty on refresh, where the nonce is not checked
     */
    JWTClaimsSet verify(DiscoveredProvider provider, JWT idToken, Optional<Nonce> expectedNonce) {
        IDTokenValidator validator = new IDTokenValidator(
                TenantIssuer.expectedFor(provider.issuer(), idToken, "ID token"), clientId,
                ProviderKeys.selector(provider), null);
        validator.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        try {
            return validator.validate(idToken, expectedNonce.orElse(null)).toJWTClaimsSet();
        } catch (BadJOSEException | JOSEException | ParseException e) {
            throw ProviderKeys.failure("ID token", e);
        }
    }
}
