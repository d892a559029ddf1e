package dev.portcullis.proxy.tls;

import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import io.netty.handler.ssl.SslContext;

/**
 * One certificate the server can present, its TLS context, and the DNS names it covers (its
 * subject alternative names, or the subject's common name when it has none).
 */
public record ServerCertificate(String source, SslContext context, List<String> dnsNames) {
    public ServerCertificate {
        requireNonNull(source, "source");
        requireNonNull(context, "context");
        dnsNames = List.copyOf(dnsNames);
    }

    /** Whether this certificate is valid for {@code host}. */
    public boolean covers(String host) {
        return dnsNames.stream().anyMatch(name -> HostNamePattern.certificateCovers(name, host));
    }

    static List<String> dnsNamesOf(X509Certificate leaf) {
        List<String> names = new ArrayList<>(SubjectAltNames.of(leaf).dnsNames());
        if (names.isEmpty()) {
            commonName(leaf).ifPresent(names::add);
        }
        return names;
    }

    private static java.util.Optional<String> commonName(X509Certificate leaf) {
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return java.util.Optional.of(String.valueOf(rdn.getValue()));
                }
            }
        } catch (InvalidNameException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }
}
