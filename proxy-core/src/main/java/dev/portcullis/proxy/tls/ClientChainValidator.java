package dev.portcullis.proxy.tls;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXCertPathChecker;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a client's certificate chain leads to a configured CA (RFC 5280 §6, the JDK's PKIX
 * validator), as Envoy checks {@code downstream_mtls}:
 * <ul>
 *   <li>every certificate of the CA bundle is a trust anchor, intermediates as well as roots;</li>
 *   <li>the chain the client sent is cut before its first certificate that is itself an anchor, and the rest
 *       must be issued, one by the next, up to an anchor;</li>
 *   <li>{@code max_verify_depth}: at most that many certificates from the client certificate up to, not counting,
 *       the anchor ({@code 0}: no limit);</li>
 *   <li>every certificate of that path must be valid now;</li>
 *   <li>with revocation lists, every certificate of the path is checked against them and a certificate whose
 *       issuer has no current list is refused (as Envoy's {@code X509_V_FLAG_CRL_CHECK_ALL}); without any, there
 *       is no revocation check. Lists come only from the configuration: nothing is fetched (no OCSP, no CRL
 *       distribution points), so checking never waits on the network;</li>
 *   <li>an extended key usage on the client certificate must allow {@code clientAuth}.</li>
 * </ul>
 * Thread-safe; each check builds its own validator state.
 */
final class ClientChainValidator {
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final List<X509Certificate> authorities;
    private final Set<TrustAnchor> anchors;
    private final List<X509CRL> crls;
    private final int maxVerifyDepth;
    private final Clock clock;

    /**
     * @param authorities    the configured CA certificates; at least one
     * @param crls           the configured revocation lists; empty: no revocation check
     * @param maxVerifyDepth longest path below an anchor, {@code 0}: no limit
     * @param clock          what "now" is for validity periods
     */
    ClientChainValidator(List<X509Certificate> authorities, List<X509CRL> crls, int maxVerifyDepth, Clock clock) {
        if (authorities.isEmpty()) {
            throw new IllegalArgumentException("authorities: none (expected: at least one CA certificate)");
        }
        this.authorities = List.copyOf(authorities);
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate authority : authorities) {
            set.add(new TrustAnchor(authority, null));
        }
        this.anchors = Set.copyOf(set);
        this.crls = List.copyOf(crls);
        this.maxVerifyDepth = maxVerifyDepth;
        this.clock = clock;
        // The JDK's PKIX code reads security files the first time it runs (its list of untrusted
        // certificates, algorithm constraints): do that here, at start-up or reload, not on an event loop.
        check(new X509Certificate[] {authorities.get(0)});
    }

    /** The configured CA certificates, as the handshake advertises them. */
    List<X509Certificate> authorities() {
        return authorities;
    }

    /**
     * Checks {@code chain} (client certificate first, as sent in the handshake).
     *
     * @return empty when the chain is valid, otherwise why not
     */
    Optional<String> check(X509Certificate[] chain) {
        List<X509Certificate> path = pathBelowAnchors(chain);
        if (maxVerifyDepth > 0 && path.size() > maxVerifyDepth) {
            return Optional.of("the chain has " + path.size() + " certificates below a configured CA (expected: at most "
                    + maxVerifyDepth + ", downstream_mtls.max_verify_depth)");
        }
        Optional<String> usage = clientAuthUsage(chain[0]);
        if (usage.isPresent()) {
            return usage;
        }
        try {
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            validator.validate(certPath, parameters(validator));
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            return Optional.of(describe(e));
        } catch (GeneralSecurityException e) {
            return Optional.of("the chain could not be checked: " + e.getMessage());
        }
    }

    /** The sent chain up to, not including, its first certificate after the client's own that is an anchor. */
    private List<X509Certificate> pathBelowAnchors(X509Certificate[] chain) {
        List<X509Certificate> path = new ArrayList<>();
        path.add(chain[0]);
        for (int i = 1; i < chain.length && !authorities.contains(chain[i]); i++) {
            path.add(chain[i]);
        }
        return path;
    }

    private PKIXParameters parameters(CertPathValidator validator) throws GeneralSecurityException {
        PKIXParameters parameters;
        try {
            parameters = new PKIXParameters(anchors);
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("no trust anchors", e);
        }
        parameters.setDate(Date.from(clock.instant()));
        // The extended key usage is checked above; PKIX would otherwise refuse it when marked critical.
        parameters.addCertPathChecker(new ExtendedKeyUsageHandled());
        if (crls.isEmpty()) {
            parameters.setRevocationEnabled(false);
        } else {
            parameters.setRevocationEnabled(true);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            PKIXRevocationChecker revocation = (PKIXRevocationChecker) validator.getRevocationChecker();
            revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.NO_FALLBACK));
            parameters.addCertPathChecker(revocation);
        }
        return parameters;
    }

    private static Optional<String> clientAuthUsage(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            if (usages == null || usages.contains(CLIENT_AUTH) || usages.contains(ANY_EXTENDED_KEY_USAGE)) {
                return Optional.empty();
            }
            return Optional.of("the certificate's extended key usage does not allow client authentication");
        } catch (CertificateException e) {
            return Optional.of("the certificate's extended key usage is unreadable");
        }
    }

    private static String describe(CertPathValidatorException e) {
        String where = e.getIndex() >= 0 ? " (certificate " + e.getIndex() + " of the chain)" : "";
        if (!(e.getReason() instanceof CertPathValidatorException.BasicReason basic)) {
            return "the chain does not lead to a configured CA: " + e.getMessage();
        }
        return switch (basic) {
            case EXPIRED -> "a certificate has expired" + where;
            case NOT_YET_VALID -> "a certificate is not yet valid" + where;
            case REVOKED -> "a certificate is revoked" + where;
            case UNDETERMINED_REVOCATION_STATUS -> "no current revocation list covers a certificate" + where;
            default -> "the chain does not lead to a configured CA: " + e.getMessage();
        };
    }

    /** Marks the extended key usage extension as processed, since {@link #clientAuthUsage} checks it. */
    private static final class ExtendedKeyUsageHandled extends PKIXCertPathChecker {
        @Override
        public void init(boolean forward) {}

        @Override
        public boolean isForwardCheckingSupported() {
            return true;
        }

        @Override
        public Set<String> getSupportedExtensions() {
            return Set.of(EXTENDED_KEY_USAGE);
        }

        @Override
        public void check(Certificate cert, Collection<String> unresolvedCritExts) {
            unresolvedCritExts.remove(EXTENDED_KEY_USAGE);
        }
    }
}
