package dev.portcullis.authn.idp;

import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.id.Issuer;
import java.text.ParseException;
import java.util.regex.Pattern;

/**
 * The issuer a provider's tokens must name. Usually the discovered one. Microsoft's multi-tenant endpoints
 * ({@code https://login.microsoftonline.com/common/v2.0}, {@code organizations}, {@code consumers}) announce
 * a template instead, {@code https://login.microsoftonline.com/{tenantid}/v2.0}, because each token comes
 * from the tenant of the person signing in: the expected issuer is the template with the token's {@code tid}
 * claim in place of {@value #PLACEHOLDER}. The {@code tid} must look like a GUID, so it cannot reshape the
 * URL, and the token must still be signed by a key from the discovered {@code jwks_uri} (the caller checks
 * the signature, and {@code iss} against this issuer, after choosing it; the {@code tid} read here is only
 * trusted because that check follows). Pomerium skips the issuer check altogether on the common endpoint.
 */
final class TenantIssuer {

    static final String PLACEHOLDER = "{tenantid}";
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private TenantIssuer() {
    }

    /**
     * Whether the issuer a discovery document {@code announced} fits the {@code configured} one: the same
     * (a trailing slash aside), or a template whose single {@value #PLACEHOLDER} stands where the configured
     * URL has one path segment ({@code common}).
     */
    static boolean fits(String announced, String configured) {
        String template = withoutTrailingSlash(announced);
        String expected = withoutTrailingSlash(configured);
        int at = template.indexOf(PLACEHOLDER);
        if (at < 0) {
            return template.equals(expected);
        }
        String prefix = template.substring(0, at);
        String suffix = template.substring(at + PLACEHOLDER.length());
        if (suffix.contains(PLACEHOLDER) || !prefix.endsWith("/") || !(suffix.isEmpty() || suffix.startsWith("/"))
                || expected.length() <= prefix.length() + suffix.length()
                || !expected.startsWith(prefix) || !expected.endsWith(suffix)) {
            return false;
        }
        String segment = expected.substring(prefix.length(), expected.length() - suffix.length());
        return !segment.contains("/");
    }

    /**
     * The issuer {@code token} must name: the discovered one, or for a template the template with the token's
     * {@code tid}; throws {@code REJECTED} when a template needs a {@code tid} the token lacks or that is not a
     * GUID.
     */
    static Issuer expectedFor(Issuer discovered, JWT token, String what) {
        String template = discovered.getValue();
        if (!template.contains(PLACEHOLDER)) {
            return discovered;
        }
        Object tid;
        try {
            tid = token.getJWTClaimsSet().getClaim("tid");
        } catch (ParseException e) {
            throw IdentityProviderException.rejected(what + " rejected: its claims cannot be read");
        }
        if (!(tid instanceof String tenant) || !GUID.matcher(tenant).matches()) {
            throw IdentityProviderException.rejected(what + " rejected: the provider's issuer is a template ("
                    + template + ") and the token's tid is " + (tid == null ? "missing" : "not a GUID"));
        }
        return new Issuer(template.replace(PLACEHOLDER, tenant));
    }

    private static String withoutTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
