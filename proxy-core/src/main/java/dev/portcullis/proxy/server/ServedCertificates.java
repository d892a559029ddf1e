package dev.portcullis.proxy.server;

import dev.portcullis.config.Options;
import dev.portcullis.proxy.acme.IssuedCertificate;
import dev.portcullis.proxy.tls.CertificateSet;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates new TLS connections are offered: those configured (files, {@code certificates:},
 * Traefik's {@code acme.json}) first, then those {@code autocert} obtained; a generated one while there
 * are none, kept across reloads. Swapped whole when a reload brings new options or autocert new
 * certificates; connections already open keep theirs. The two kinds of change are serialised, so a
 * certificate obtained during a reload is never lost.
 */
final class ServedCertificates implements Supplier<CertificateSet> {
    private static final Logger log = LoggerFactory.getLogger(ServedCertificates.class);

    private final AtomicReference<CertificateSet> current = new AtomicReference<>();
    /** The server options served now; guarded by this. */
    private Options.ServerOptions server;
    /** What autocert holds now; guarded by this. */
    private List<IssuedCertificate> obtained = List.of();

    /** @throws GeneralSecurityException naming a configured certificate or key that cannot be used */
    ServedCertificates(Options.ServerOptions server) throws GeneralSecurityException {
        this.server = server;
        current.set(build(server, obtained));
    }

    @Override
    public CertificateSet get() {
        return current.get();
    }

    /**
     * Serves the certificates of {@code next} together with the rest of a new configuration, which
     * {@code alongside} puts in place: both, or, when either throws, neither.
     *
     * @throws GeneralSecurityException naming a certificate or key that cannot be used
     */
    synchronized void reconfigure(Options.ServerOptions next, Runnable alongside) throws GeneralSecurityException {
        CertificateSet built = build(next, obtained);
        alongside.run();
        server = next;
        current.set(built);
    }

    /** Called by the autocert thread with every certificate it holds, after each issuance or renewal. */
    synchronized void obtained(List<IssuedCertificate> issued) {
        try {
            current.set(build(server, issued));
            obtained = List.copyOf(issued);
        } catch (GeneralSecurityException e) {
            log.warn("autocert: the certificates obtained cannot be served, the running ones stay: {}", e.getMessage());
        }
    }

    private CertificateSet build(Options.ServerOptions options, List<IssuedCertificate> issued)
            throws GeneralSecurityException {
        List<Options.CertificatePair> pairs = new ArrayList<>(options.certificates());
        for (IssuedCertificate certificate : issued) { // after those configured
            pairs.add(new Options.CertificatePair("autocert " + String.join(", ", certificate.names()),
                    certificate.chainPem(), certificate.keyPem()));
        }
        CertificateSet running = current.get();
        if (pairs.isEmpty() && running != null && running.selfSigned()) {
            return running.withClientCertificates(options.downstreamMtls());
        }
        return CertificateSet.from(options, pairs);
    }
}
