package dev.portcullis.proxy.forwardauth;

import dev.portcullis.authn.session.Session;
import dev.portcullis.config.route.JwtIssuerFormat;
import dev.portcullis.proxy.signin.IdentityHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The headers of an allowed check's {@code 200}: every identity header the configuration names
 * ({@code X-Pomerium-Jwt-Assertion}, each {@code jwt_claims_headers} header and, with
 * {@code forward_auth_identity_headers}, the {@code Remote-*} and {@code X-Auth-Request-*} sets), on
 * every answer, empty when no one is signed in, the route sets {@code pass_identity_headers: false},
 * or the user lacks the claim. A front proxy that copies them (Caddy's {@code copy_headers}, Traefik's
 * {@code authResponseHeaders}, nginx's {@code auth_request_set} with {@code proxy_set_header}) then
 * always overwrites what a client sent under those names, instead of passing on a forged
 * {@code Remote-User} where the answer had none (or, in Caddy before 2.10, the placeholder's own text).
 * Pomerium answers its claim headers the same way, empty when the claim is missing.
 */
public final class AllowedCheckHeaders {
    private AllowedCheckHeaders() {}

    /**
     * @param session     the signed-in user whose identity passes, if any
     * @param checkedHost the checked URL's host name: the assertion's audience
     * @param issuerFormat the route's {@code jwt_issuer_format}
     * @param toolHeaders {@code forward_auth_identity_headers}
     */
    public static Map<String, String> of(IdentityHeaders identity, Optional<Session> session, String checkedHost,
            JwtIssuerFormat issuerFormat, boolean toolHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        identity.names().forEach(name -> headers.put(name, ""));
        if (toolHeaders) {
            IdentityHeaders.TOOL_HEADERS.forEach(name -> headers.put(name, ""));
        }
        session.ifPresent(user -> {
            headers.putAll(identity.forUpstream(Optional.of(user), checkedHost, issuerFormat));
            if (toolHeaders) {
                headers.putAll(identity.toolHeaders(user));
            }
        });
        return headers;
    }
}
