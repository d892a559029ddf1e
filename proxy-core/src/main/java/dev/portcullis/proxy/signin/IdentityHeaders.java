package dev.portcullis.proxy.signin;

import dev.portcullis.authn.assertion.AssertionSigner;
import dev.portcullis.authn.assertion.AssertionSubject;
import dev.portcullis.authn.session.Session;
import dev.portcullis.config.route.JwtIssuerFormat;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an upstream learns about the user: {@code X-Pomerium-Jwt-Assertion} (signed, reused per session and
 * route while it has long to live) and the {@code jwt_claims_headers}, as Pomerium's headers evaluator makes
 * them: every claim header is sent, {@code ""} when the user lacks the claim, and a request without a session
 * (on a route that let it in) gets an assertion of no one ({@link AssertionSubject#anonymous()}).
 */
public final class IdentityHeaders {
    public static final String ASSERTION = "x-pomerium-jwt-assertion";
    /** The names {@link #toolHeaders} may answer with. */
    public static final List<String> TOOL_HEADERS = List.of("Remote-User", "X-Auth-Request-User", "Remote-Email",
            "X-Auth-Request-Email", "Remote-Groups", "X-Auth-Request-Groups", "Remote-Name");

    private final AssertionSigner signer;
    private final Map<String, String> claimHeaders;
    private final JwtIssuerFormat defaultIssuerFormat;
    private final Clock clock;

    /** @param defaultIssuerFormat the top-level {@code jwt_issuer_format}, for assertions made outside any route */
    IdentityHeaders(AssertionSigner signer, Map<String, String> claimHeaders, JwtIssuerFormat defaultIssuerFormat,
            Clock clock) {
        this.signer = signer;
        this.claimHeaders = Map.copyOf(claimHeaders);
        this.defaultIssuerFormat = defaultIssuerFormat;
        this.clock = clock;
    }

    /**
     * The headers for {@code session} (empty: no one) on a route served at {@code routeHost}: the host's name
     * without the port the browser used, as Pomerium writes {@code aud} and {@code iss} (applications compare
     * {@code aud} with their host name).
     */
    public Map<String, String> forUpstream(Optional<Session> session, String routeHost, JwtIssuerFormat issuerFormat) {
        AssertionSubject subject = subjectOf(session);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ASSERTION, signer.assertionFor(subject, routeHost, issuerFormat, clock.instant()));
        claimHeaders.forEach((header, claim) -> headers.put(header, headerSafe(subject.claimHeaderValue(claim))));
        return headers;
    }

    /** The assertion alone, for {@code ${pomerium.jwt}}: as {@link #forUpstream} signs it. */
    public String assertion(Optional<Session> session, String routeHost, JwtIssuerFormat issuerFormat) {
        return signer.assertionFor(subjectOf(session), routeHost, issuerFormat, clock.instant());
    }

    private AssertionSubject subjectOf(Optional<Session> session) {
        return session.map(s -> AssertionSubject.of(s, claimHeaders.values())).orElseGet(AssertionSubject::anonymous);
    }

    /** A value that cannot be a header value (a claim with a line break in it) is sent empty. */
    private static String headerSafe(String value) {
        return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 ? "" : value;
    }

    /**
     * The identity header sets other tools already read, for forward-auth answers with
     * {@code forward_auth_identity_headers: true}: {@code Remote-User}, {@code Remote-Email},
     * {@code Remote-Groups}, {@code Remote-Name} (Authelia's) and {@code X-Auth-Request-User},
     * {@code X-Auth-Request-Email}, {@code X-Auth-Request-Groups} (oauth2-proxy's). The user is
     * the {@code preferred_username} claim when the provider gave one, else the email, else the
     * user id; groups are comma-joined.
     */
    public Map<String, String> toolHeaders(Session session) {
        Map<String, String> headers = new LinkedHashMap<>();
        String user = claimValue(session, "preferred_username");
        if (user == null) {
            user = session.email() != null ? session.email() : session.userId();
        }
        String groups = claimValue(session, "groups");
        headers.put("Remote-User", user);
        headers.put("X-Auth-Request-User", user);
        if (session.email() != null && claimValue(session, "email") != null) {
            headers.put("Remote-Email", session.email());
            headers.put("X-Auth-Request-Email", session.email());
        }
        if (!groups.isEmpty()) {
            headers.put("Remote-Groups", groups);
            headers.put("X-Auth-Request-Groups", groups);
        }
        String name = claimValue(session, "name");
        if (name != null) {
            headers.put("Remote-Name", name);
        }
        return headers;
    }

    /** Every name {@link #forUpstream} may send: the assertion's, then each {@code jwt_claims_headers} header's. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        names.add(ASSERTION);
        names.addAll(claimHeaders.keySet());
        return names;
    }

    /**
     * The assertion alone, for {@code /.pomerium/jwt}: a path of the proxy's own, so with the top-level
     * {@code jwt_issuer_format}, as Pomerium signs it for its internal routes (they have no route policy).
     */
    public String assertion(Session session, String routeHost) {
        return assertion(Optional.of(session), routeHost, defaultIssuerFormat);
    }

    /** A claim as a header value: lists comma-joined, other values as text; null when absent. */
    static String claimValue(Session session, String claim) {
        Object value = switch (claim) {
            case "sub", "user" -> session.userId();
            case "email" -> session.email();
            case "name" -> session.name();
            case "groups" -> session.groups();
            case "sid" -> session.sessionId();
            default -> session.claims().get(claim);
        };
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        String text = String.valueOf(value);
        return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 ? null : text;
    }
}
