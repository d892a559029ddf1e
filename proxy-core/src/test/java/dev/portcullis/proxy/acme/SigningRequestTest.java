package dev.portcullis.proxy.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/**
 * The CSR {@link CertificateIssuer} finalizes with. Must-staple is checked here, not against
 * Pebble: Pebble 2.4 does not copy the TLS Feature extension into the certificates it issues.
 */
class SigningRequestTest {
    private static final ASN1ObjectIdentifier TLS_FEATURE = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");

    @Test
    void asksForTheNamesAndForMustStapleWhenConfigured() throws Exception {
        Extensions extensions = extensions(CertificateIssuer.csr(Set.of("b.example.com", "a.example.com"),
                CertificateStore.newEcKey(), true));

        assertThat(GeneralNames.fromExtensions(extensions, org.bouncycastle.asn1.x509.Extension.subjectAlternativeName).getNames())
                .extracting(n -> n.getName().toString()).containsExactly("a.example.com", "b.example.com");
        // TLS Feature (RFC 7633 §4) listing status_request (5): SEQUENCE { INTEGER 5 }.
        assertThat(extensions.getExtension(TLS_FEATURE).getExtnValue().getOctets()).containsExactly(0x30, 0x03, 0x02, 0x01, 0x05);
    }

    @Test
    void noMustStapleByDefault() throws Exception {
        Extensions extensions = extensions(CertificateIssuer.csr(Set.of("a.example.com"), CertificateStore.newEcKey(), false));
        assertThat(extensions.getExtension(TLS_FEATURE)).isNull();
    }

    private static Extensions extensions(PKCS10CertificationRequest csr) {
        return Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
    }
}
