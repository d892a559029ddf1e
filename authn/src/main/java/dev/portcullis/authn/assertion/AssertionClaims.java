package dev.portcullis.authn.assertion;

import java.time.Instant;
import java.util.Date;

import com.nimbusds.jwt.JWTClaimsSet;

/**
 * The claims of an assertion, exactly the set COMPAT.md promises upstreams (as Pomerium sends them):
 * {@code iss} and {@code aud} the route's host name, without a port (RFC 7519 §4.1.1, §4.1.3; {@code aud} a
 * single string; Pomerium's default {@code jwt_issuer_format: hostOnly}),
 * {@code sub} and {@code user} the user id, {@code email}, {@code groups} (always a JSON array,
 * {@code []} when there are none), {@code name}, {@code sid}, {@code jti}, {@code iat},
 * {@code exp}. {@code email} and {@code name} are left out when the identity provider gave none,
 * rather than sent as {@code null}.
 */
final class AssertionClaims {

    private AssertionClaims() {
    }

    static JWTClaimsSet of(AssertionSubject subject, String routeHost, String jwtId, Instant issuedAt, Instant expiresAt) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(routeHost)
                .audience(routeHost)
                .subject(subject.userId())
                .claim("user", subject.userId())
                .claim("groups", subject.groups())
                .claim("sid", subject.sessionId())
                .jwtID(jwtId)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt));
        if (subject.email() != null) {
            claims.claim("email", subject.email());
        }
        if (subject.name() != null) {
            claims.claim("name", subject.name());
        }
        return claims.build();
    }
}
