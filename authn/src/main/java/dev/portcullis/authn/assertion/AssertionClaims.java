package dev.portcullis.authn.assertion;

import dev.portcullis.config.route.JwtIssuerFormat;
import java.time.Instant;
import java.util.Date;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The claims of an assertion, the set Pomerium's headers evaluator writes ({@code getJWTPayload}):
 * {@code iss} per {@code jwt_issuer_format} (the route's host name, without a port, or {@code https://host/}),
 * {@code aud} the host name (RFC 7519 §4.1.1, §4.1.3; a single string), {@code jti}, {@code iat}, {@code exp},
 * {@code sub} and {@code user} the user id, {@code email} and {@code name} (always present, {@code ""} when
 * unknown), {@code groups} (always a JSON array, {@code []} when there are none), {@code sid}, and every further
 * claim {@code jwt_claims_headers} names that the user has.
 */
final class AssertionClaims {

    private AssertionClaims() {
    }

    static JWTClaimsSet of(AssertionSubject subject, String routeHost, JwtIssuerFormat issuerFormat, String jwtId,
            Instant issuedAt, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuerFormat.issuerFor(routeHost))
                .audience(routeHost)
                .jwtID(jwtId)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .subject(subject.userId())
                .claim("user", subject.userId())
                .claim("email", subject.email())
                .claim("groups", subject.groups())
                .claim("sid", subject.sessionId())
                .claim("name", subject.name());
        subject.extraClaims().forEach(claims::claim);
        return claims.build();
    }
}
