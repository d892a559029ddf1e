package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import dev.portcullis.policy.ClientCertificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What Pomerium's substitutions in a route's {@code set_request_headers} stand for in one request (its
 * {@code headers_evaluator_evaluation.go}, {@code fillSetRequestHeaders}):
 * <ul>
 *   <li>{@code pomerium.id_token}, {@code pomerium.access_token}: the identity provider's tokens of the session,
 *       as last renewed;</li>
 *   <li>{@code pomerium.jwt}: the assertion {@code X-Pomerium-Jwt-Assertion} carries (signed even when the route
 *       sets {@code pass_identity_headers: false}, and of no one for a request without a session);</li>
 *   <li>{@code pomerium.client_cert_fingerprint}: SHA-256 of the client certificate presented, in hex;
 *       {@code pomerium.client_cert_san_dns}, {@code pomerium.client_cert_san_email}: its DNS and email
 *       names, {@code ,}-joined, names holding a {@code ,} left out;</li>
 *   <li>{@code pomerium.request.headers.<name>} (or {@code ["<name>"]}): the request's header of that name, as
 *       it passed the trust boundary (never the proxy's own cookies or credentials).</li>
 * </ul>
 * Anything else ({@link dev.portcullis.config.route.HeaderTemplate#isPomeriumValue} says what Pomerium knows), and
 * any of these that the request lacks, is {@code ""}, as in Pomerium.
 */
public final class HeaderSubstitutions {
    /** For an exchange that never reached a decision to forward: every reference is empty. */
    static final HeaderSubstitutions NONE = new HeaderSubstitutions(Optional.empty(), () -> "", Optional.empty());

    private final Optional<Session> session;
    private final Supplier<String> assertion;
    private final Optional<ClientCertificate> clientCertificate;

    /**
     * @param session           the request's session, if any
     * @param assertion         signs (or finds) the request's assertion, called only when a value names it
     * @param clientCertificate the certificate the client presented, if any
     */
    HeaderSubstitutions(Optional<Session> session, Supplier<String> assertion, Optional<ClientCertificate> clientCertificate) {
        this.session = requireNonNull(session, "session");
        this.assertion = requireNonNull(assertion, "assertion");
        this.clientCertificate = requireNonNull(clientCertificate, "clientCertificate");
    }

    /**
     * The value of {@code reference} ({@code [pomerium, id_token]} …).
     *
     * @param requestHeader the request's value of a header name (several joined with {@code ,}), {@code ""} when absent
     */
    public String valueOf(List<String> reference, Function<String, String> requestHeader) {
        if (reference.size() > 3 && reference.get(0).equals("pomerium") && reference.get(1).equals("request")
                && reference.get(2).equals("headers")) {
            return requestHeader.apply(reference.get(3));
        }
        if (reference.size() != 2 || !reference.get(0).equals("pomerium")) {
            return "";
        }
        return switch (reference.get(1)) {
            case "id_token" -> session.flatMap(Session::idToken).orElse("");
            case "access_token" -> session.flatMap(Session::accessToken).orElse("");
            case "jwt" -> assertion.get();
            case "client_cert_fingerprint" -> clientCertificate.map(ClientCertificate::fingerprintSha256).orElse("");
            case "client_cert_san_dns" -> clientCertificate.map(c -> commaFree(c.sanDns())).orElse("");
            case "client_cert_san_email" -> clientCertificate.map(c -> commaFree(c.sanEmails())).orElse("");
            default -> "";
        };
    }

    /** The names joined with {@code ,}, those holding a {@code ,} left out (they would read as two). */
    private static String commaFree(List<String> names) {
        return names.stream().filter(name -> name.indexOf(',') < 0).collect(Collectors.joining(","));
    }
}
