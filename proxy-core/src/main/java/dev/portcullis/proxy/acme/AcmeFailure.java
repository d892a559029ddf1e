package dev.portcullis.proxy.acme;

/**
 * Why a certificate could not be obtained, in words fit for the log (an unanswered challenge, an
 * untrusted ACME server, a rate limit …). An expected failure: it carries no stack trace of its own.
 */
public final class AcmeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public AcmeFailure(String message) {
        super(message, null, false, false);
    }

    public AcmeFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
