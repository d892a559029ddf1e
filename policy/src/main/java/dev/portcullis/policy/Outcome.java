package dev.portcullis.policy;

/** What the proxy must answer after a policy decision. */
public enum Outcome {
    /** Let the request through to the upstream. */
    ALLOW,
    /**
     * Not signed in, and who the person is matters to the decision: 302 to the sign-in page for a
     * browser, 401 for an API client. The proxy decides which.
     */
    SIGN_IN,
    /** Denied: 403 with the reasons. */
    FORBIDDEN,
    /** A client certificate was required and is missing or invalid: 495. */
    CLIENT_CERTIFICATE_REQUIRED
}
