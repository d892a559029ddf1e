package dev.portcullis.proxy.acme;

/**
 * The challenges Portcullis can answer, in the order it prefers them: TLS-ALPN-01 (RFC 8737) needs
 * only the TLS listener on port 443; HTTP-01 (RFC 8555 §8.3) needs a listener on port 80.
 */
public enum ChallengeType {
    TLS_ALPN_01("tls-alpn-01"),
    HTTP_01("http-01");

    private final String acmeName;

    ChallengeType(String acmeName) {
        this.acmeName = acmeName;
    }

    /** The challenge's {@code type} in ACME messages. */
    public String acmeName() {
        return acmeName;
    }
}
