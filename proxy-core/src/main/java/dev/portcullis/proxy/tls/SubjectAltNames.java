package dev.portcullis.proxy.tls;

import dev.portcullis.config.DownstreamMtls.SanType;
import java.io.IOException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.OtherName;

/**
 * The subject alternative names of a certificate (RFC 5280 §4.2.1.6), by type. An otherName is kept only
 * when it is a Microsoft user principal name (1.3.6.1.4.1.311.20.2.3) holding a string; Bouncy Castle
 * decodes it, since the JDK hands otherNames over as raw DER.
 *
 * @param emails             rfc822Name
 * @param dnsNames           dNSName
 * @param ipAddresses        iPAddress, as the JDK writes it ({@code 10.0.0.1}, {@code 0:0:0:0:0:0:0:1})
 * @param uris               uniformResourceIdentifier
 * @param userPrincipalNames otherName of type UPN
 */
public record SubjectAltNames(List<String> emails, List<String> dnsNames, List<String> ipAddresses, List<String> uris,
        List<String> userPrincipalNames) {
    /** The otherName type of a Microsoft user principal name. */
    static final String UPN_OID = "1.3.6.1.4.1.311.20.2.3";

    public SubjectAltNames {
        emails = List.copyOf(emails);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        uris = List.copyOf(uris);
        userPrincipalNames = List.copyOf(userPrincipalNames);
    }

    /** The names in {@code certificate}; none when it has no readable extension. */
    public static SubjectAltNames of(X509Certificate certificate) {
        List<String> emails = new ArrayList<>();
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        List<String> upns = new ArrayList<>();
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            names = null;
        }
        if (names != null) {
            for (List<?> name : names) {
                Object value = name.get(1);
                switch ((Integer) name.get(0)) {
                    case 0 -> userPrincipalName(value).ifPresent(upns::add);
                    case 1 -> emails.add(String.valueOf(value));
                    case 2 -> dns.add(String.valueOf(value));
                    case 6 -> uris.add(String.valueOf(value));
                    case 7 -> ips.add(String.valueOf(value));
                    default -> { }
                }
            }
        }
        return new SubjectAltNames(emails, dns, ips, uris, upns);
    }

    /** The names of {@code type}. */
    public List<String> ofType(SanType type) {
        return switch (type) {
            case EMAIL -> emails;
            case DNS -> dnsNames;
            case IP_ADDRESS -> ipAddresses;
            case URI -> uris;
            case USER_PRINCIPAL_NAME -> userPrincipalNames;
        };
    }

    private static Optional<String> userPrincipalName(Object der) {
        if (!(der instanceof byte[] bytes)) {
            return Optional.empty();
        }
        try {
            ASN1Primitive parsed = ASN1Primitive.fromByteArray(bytes);
            // The JDK gives the OtherName SEQUENCE; tolerate the GeneralName's [0] around it too.
            if (parsed instanceof ASN1TaggedObject tagged) {
                parsed = ASN1Sequence.getInstance(tagged, false);
            }
            OtherName other = OtherName.getInstance(parsed);
            if (!UPN_OID.equals(other.getTypeID().getId())) {
                return Optional.empty();
            }
            ASN1Encodable value = other.getValue();
            // The value is [0] EXPLICIT in the otherName; some encoders nest one more explicit tag.
            while (value instanceof ASN1TaggedObject tagged) {
                value = tagged.getExplicitBaseObject();
            }
            return value instanceof ASN1String text ? Optional.of(text.getString()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
