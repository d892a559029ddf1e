package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.List;

/**
 * Validates logout tokens per OpenID Connect Back-Channel Logout 1.0 §2.6: a signed JWT (never
 * unsecured, never encrypted) with {@code typ} {@code logout+jwt} or {@code JWT} or none, signature
 * against the provider's key set, {@code iss} equal to the discovered issuer, {@code aud} containing
 * the client id, {@code iat} present and not in the future, {@code exp} not passed when present (both
 * with {@value IdTokenVerifier#MAX_CLOCK_SKEW_SECONDS} s of skew), {@code events} holding the
 * back-channel logout event as an object, {@code sub} or {@code sid} present, and no {@code nonce}.
 */
final class LogoutTokenVerifier {

    static final String LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final JOSEObjectType LOGOUT_TYPE = new JOSEObjectType("logout+jwt");

    private final ClientID clientId;
    private final Clock clock;

    LogoutTokenVerifier(ClientID clientId, Clock clock) {
        this.clientId = requireNonNull(clientId, "clientId");
        this.clock = requireNonNull(clock, "clock");
    }

    /** What the token asks to end; throws {@code REJECTED} when the token is not valid. */
    LogoutNotice verify(DiscoveredProvider provider, String logoutToken) {
        SignedJWT token;
        try {
            token = SignedJWT.parse(logoutToken);
        } catch (ParseException e) {
            throw IdentityProviderException.rejected("logout token rejected: not a signed JWT");
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(LOGOUT_TYPE, JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(ProviderKeys.selector(provider));
        processor.setJWTClaimsSetVerifier(new LogoutClaims(
                TenantIssuer.expectedFor(provider.issuer(), token, "logout token").getValue()));
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJOSEException | JOSEException e) {
            throw ProviderKeys.failure("logout token", e);
        }
        try {
            return new LogoutNotice(Optional.ofNullable(claims.getSubject()),
                    Optional.ofNullable(claims.getStringClaim("sid")));
        } catch (ParseException e) {
            throw IdentityProviderException.rejected("logout token rejected: sid is not a string");
        }
    }

    /** The claim rules of §2.6 beyond what {@link DefaultJWTClaimsVerifier} checks, on the injected clock. */
    private final class LogoutClaims extends DefaultJWTClaimsVerifier<SecurityContext> {

        LogoutClaims(String issuer) {
            // mutable sets: Nimbus asks them whether they contain null
            super(new HashSet<>(List.of(clientId.getValue())), new JWTClaimsSet.Builder().issuer(issuer).build(),
                    new HashSet<>(List.of("iss", "aud", "iat", "events")), new HashSet<>(List.of("nonce")));
            setMaxClockSkew(IdTokenVerifier.MAX_CLOCK_SKEW_SECONDS);
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            Date latest = new Date(currentTime().getTime() + getMaxClockSkew() * 1000L);
            if (claims.getIssueTime().after(latest)) {
                throw new BadJWTException("Logout token issued in the future");
            }
            Map<String, Object> events;
            try {
                events = claims.getJSONObjectClaim("events");
            } catch (ParseException e) {
                throw new BadJWTException("Logout token events is not an object");
            }
            if (!(events.get(LOGOUT_EVENT) instanceof Map)) {
                throw new BadJWTException("Logout token events lacks the back-channel logout event");
            }
            Object sid = claims.getClaim("sid");
            if (claims.getSubject() == null && sid == null) {
                throw new BadJWTException("Logout token has neither sub nor sid");
            }
            if (sid != null && !(sid instanceof String)) {
                throw new BadJWTException("Logout token sid is not a string");
            }
        }
    }
}
