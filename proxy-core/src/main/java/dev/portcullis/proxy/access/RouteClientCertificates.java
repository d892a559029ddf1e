package dev.portcullis.proxy.access;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.config.route.Route;
import dev.portcullis.proxy.tls.ClientCertificateVerifier;
import dev.portcullis.proxy.tls.ConnectionFacts;
import dev.portcullis.proxy.tls.ClientCertificateVerdict;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A route's own client certificate CA ({@code tls_downstream_client_ca[_file]}), as Pomerium's authorize evaluator
 * applies it: for requests to that route, the certificate the client presented on its connection is judged against
 * the route's CA in place of {@code downstream_mtls.ca}, with the rest of {@code downstream_mtls} (revocation lists,
 * subject name matchers, depth, enforcement; {@code policy_with_default_deny} when there is none). So a route with
 * it alone lets in only clients with a valid certificate of its CA (495 otherwise), whatever its policy.
 */
public final class RouteClientCertificates {
    private final DownstreamMtls settings;
    private final ClientCertificateVerifier verifier;

    private RouteClientCertificates(DownstreamMtls settings, ClientCertificateVerifier verifier) {
        this.settings = settings;
        this.verifier = verifier;
    }

    /**
     * The rule of {@code route}. Empty when the connection's own verdict serves: the route has no CA of its own and
     * the listener judged certificates against {@code downstream_mtls.ca} alone (no route has a CA of its own). When
     * some route has one, the listener accepted certificates of every CA, so a route without its own is judged here
     * against {@code downstream_mtls.ca} again, lest a certificate of another route's CA pass for it.
     *
     * @param global     the top-level {@code downstream_mtls}, whose settings other than the CA apply
     * @param anyOwnCa   whether any route of the configuration has a CA of its own
     * @throws IllegalArgumentException naming the route's option when its CA cannot be read
     */
    public static Optional<RouteClientCertificates> of(Route route, Optional<DownstreamMtls> global, boolean anyOwnCa,
            Clock clock) {
        requireNonNull(global, "global");
        Optional<String> ca = route.downstreamClientCaPem()
                .or(() -> anyOwnCa ? global.flatMap(DownstreamMtls::caPem) : Optional.empty());
        if (ca.isEmpty()) {
            return Optional.empty();
        }
        DownstreamMtls settings = new DownstreamMtls(ca,
                global.flatMap(DownstreamMtls::crlPem),
                global.map(DownstreamMtls::enforcement).orElse(DownstreamMtls.Enforcement.POLICY_WITH_DEFAULT_DENY),
                global.map(DownstreamMtls::matchSubjectAltNames).orElse(List.of()),
                global.map(DownstreamMtls::maxVerifyDepth).orElse(DownstreamMtls.DEFAULT_MAX_VERIFY_DEPTH));
        try {
            return Optional.of(new RouteClientCertificates(settings, ClientCertificateVerifier.of(settings, clock)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(route.yamlPath() + ".tls_downstream_client_ca: " + e.getMessage(), e);
        }
    }

    /**
     * The status of a request on {@code connection}: the chain it presented judged against the route's CA. A
     * connection on which no certificate was asked for (plain HTTP) counts as presenting none.
     */
    public ClientCertificateStatus statusOf(ConnectionFacts connection) {
        Optional<ClientCertificateVerdict> verdict = connection.clientCertificate().isEmpty()
                ? Optional.empty()
                : Optional.of(verifier.verify(connection.clientChain().toArray(X509Certificate[]::new)));
        return ClientCertificateStatus.of(Optional.of(settings), verdict);
    }
}
