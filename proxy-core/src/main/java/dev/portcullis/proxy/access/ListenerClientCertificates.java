package dev.portcullis.proxy.access;

import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.config.route.Route;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the TLS listener asks of clients, as Pomerium's listener does: the {@code downstream_mtls} CA together with
 * every route's {@code tls_downstream_client_ca}, so that a client holding a certificate of any of them is asked
 * for it in the handshake. With only route CAs configured, the listener asks for a certificate without requiring
 * one; each request is then judged by its route ({@link RouteClientCertificates}).
 */
public final class ListenerClientCertificates {
    private ListenerClientCertificates() {}

    /** The settings the listener's handshake uses; empty when no certificate is asked for at all. */
    public static Optional<DownstreamMtls> of(Optional<DownstreamMtls> global, List<Route> routes) {
        List<String> routeCas = routes.stream().flatMap(r -> r.downstreamClientCaPem().stream()).distinct().toList();
        if (routeCas.isEmpty()) {
            return global;
        }
        String bundle = Stream.concat(global.flatMap(DownstreamMtls::caPem).stream(), routeCas.stream())
                .map(pem -> pem.endsWith("\n") ? pem : pem + "\n")
                .collect(Collectors.joining());
        if (global.isPresent()) {
            DownstreamMtls g = global.get();
            return Optional.of(new DownstreamMtls(Optional.of(bundle), g.crlPem(), g.enforcement(),
                    g.matchSubjectAltNames(), g.maxVerifyDepth()));
        }
        return Optional.of(new DownstreamMtls(Optional.of(bundle), Optional.empty(),
                DownstreamMtls.Enforcement.POLICY_WITH_DEFAULT_DENY, List.of(), DownstreamMtls.DEFAULT_MAX_VERIFY_DEPTH));
    }
}
