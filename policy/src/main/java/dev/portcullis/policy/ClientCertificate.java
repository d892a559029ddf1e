package dev.portcullis.policy;

import java.util.List;
import java.util.Locale;

/**
 * The facts about a client's TLS certificate that a policy can test.
 *
 * @param fingerprintSha256 SHA-256 of the DER certificate in hex; colons and upper case are accepted and
 *                          stored as 64 lower-case hex digits, the form {@code openssl dgst -sha256} prints
 * @param spkiHashSha256    base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo
 * @param sanEmails         subject alternative names of type email
 * @param sanDns            subject alternative names of type DNS
 * @param sanUris           subject alternative names of type URI
 */
public record ClientCertificate(String fingerprintSha256, String spkiHashSha256, List<String> sanEmails,
        List<String> sanDns, List<String> sanUris) {
    public ClientCertificate {
        fingerprintSha256 = fingerprintSha256 == null
                ? ""
                : fingerprintSha256.replace(":", "").toLowerCase(Locale.ROOT);
        spkiHashSha256 = spkiHashSha256 == null ? "" : spkiHashSha256;
        sanEmails = sanEmails == null ? List.of() : List.copyOf(sanEmails);
        sanDns = sanDns == null ? List.of() : List.copyOf(sanDns);
        sanUris = sanUris == null ? List.of() : List.copyOf(sanUris);
    }
}
