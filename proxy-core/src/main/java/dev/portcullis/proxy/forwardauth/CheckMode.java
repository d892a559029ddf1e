package dev.portcullis.proxy.forwardauth;

/** Which of the two forward-auth endpoints was asked, and so how "not signed in" is answered. */
public enum CheckMode {
    /** {@code /verify}: 401 when not signed in (nginx {@code auth_request}). */
    VERIFY,
    /** {@code /}: 302 to sign in when not signed in (Traefik, Caddy, nginx {@code auth-signin}). */
    SIGN_IN
}
