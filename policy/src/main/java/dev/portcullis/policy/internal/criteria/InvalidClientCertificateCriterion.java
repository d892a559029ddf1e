package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.eval.Verdict;

/**
 * {@code invalid_client_certificate}: holds when client certificates are required and this request's is
 * missing ({@code client-certificate-required}) or failed verification ({@code invalid-client-certificate});
 * otherwise fails with {@code valid-client-certificate}. Meant for {@code deny}.
 */
public final class InvalidClientCertificateCriterion extends Criterion {

    private static final long MISSING = Verdict.of(true, Reason.CLIENT_CERTIFICATE_REQUIRED);
    private static final long INVALID = Verdict.of(true, Reason.INVALID_CLIENT_CERTIFICATE);
    private static final long VALID = Verdict.of(false, Reason.VALID_CLIENT_CERTIFICATE);

    public InvalidClientCertificateCriterion(String path) {
        super(path, "invalid_client_certificate", Reason.INVALID_CLIENT_CERTIFICATE, Reason.VALID_CLIENT_CERTIFICATE);
    }

    @Override
    public long evaluate(AccessRequest request) {
        if (!request.invalidClientCertificate()) {
            return VALID;
        }
        return request.clientCertificate().isEmpty() ? MISSING : INVALID;
    }

    @Override
    protected boolean test(AccessRequest request) {
        return request.invalidClientCertificate();
    }

    @Override
    protected String actual(AccessRequest request) {
        return "your client certificate is valid";
    }
}
