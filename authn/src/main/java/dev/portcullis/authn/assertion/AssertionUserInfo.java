package dev.portcullis.authn.assertion;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code /.pomerium/user} serves, as Pomerium computes it ({@code proxy/handlers.go},
 * {@code userInfoFromJWT}): the claims of the request's own assertion, without those about the token
 * itself ({@code iss}, {@code aud}, {@code exp}, {@code iat}, {@code jti}). Derived from the assertion rather
 * than from the session, so the two always carry the same fields.
 */
public final class AssertionUserInfo {
    private static final List<String> ABOUT_THE_TOKEN = List.of("iss", "aud", "exp", "iat", "jti");

    private AssertionUserInfo() {}

    /**
     * The user info in {@code assertion}, one this proxy signed.
     *
     * @throws IllegalArgumentException when {@code assertion} is not a signed JWT
     */
    public static Map<String, Object> of(String assertion) {
        requireNonNull(assertion, "assertion");
        JWTClaimsSet claims;
        try {
            claims = SignedJWT.parse(assertion).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException("assertion: not a signed JWT", e);
        }
        Map<String, Object> info = new LinkedHashMap<>(claims.toJSONObject());
        ABOUT_THE_TOKEN.forEach(info::remove);
        return info;
    }
}
