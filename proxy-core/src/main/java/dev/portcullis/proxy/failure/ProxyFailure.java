package dev.portcullis.proxy.failure;

/**
 * The closed set of ways a request can fail inside the proxy, each with its status, the tag
 * used in logs and metrics, and what the page tells the person who sees it. Expected failures
 * carry no stack trace anywhere.
 */
public enum ProxyFailure {
    BAD_REQUEST(400, "Bad Request", "bad_request",
            "Bad request",
            "The request could not be understood. Check the address and try again."),
    URI_TOO_LONG(414, "Request-URI Too Long", "uri_too_long",
            "Address too long",
            "The address of this request is longer than the proxy accepts."),
    HEADERS_TOO_LARGE(431, "Request Header Fields Too Large", "headers_too_large",
            "Request headers too large",
            "The request carried more header data than the proxy accepts. Clearing this site's cookies usually helps."),
    NO_ROUTE(404, "Not Found", "no_route",
            "Not found",
            "No route is configured for this address."),
    MISDIRECTED(421, "Misdirected Request", "misdirected",
            "Misdirected request",
            "This connection's certificate does not cover this host. Reload the page to open a new connection."),
    SIGN_IN_UNAVAILABLE(403, "Forbidden", "sign_in_unavailable",
            "Access denied",
            "This route lets in only people who are signed in, and sign-in is not configured on this proxy "
                    + "(no identity provider is set up). Only what the route's policy allows without sign-in is served."),
    UNAUTHENTICATED(401, "Unauthorized", "unauthenticated",
            "Sign-in required",
            "This address is only for people who are signed in. Sign in, then try again."),
    SIGN_IN_PROVIDER_UNAVAILABLE(502, "Bad Gateway", "idp_unavailable",
            "Sign-in failed",
            "The identity provider could not be reached, or it failed to complete the sign-in. Try again in a moment."),
    SIGN_IN_REFUSED(403, "Forbidden", "idp_refused",
            "Sign-in refused",
            "The identity provider did not sign you in."),
    SIGN_IN_EXPIRED(400, "Bad Request", "sign_in_expired",
            "Sign-in expired",
            "This sign-in attempt expired, or it was started in another browser or tab. Start again."),
    HANDOFF_REFUSED(400, "Bad Request", "handoff_refused",
            "Sign-in link not valid",
            "This sign-in link was used already, has expired, or is not for this site. "
                    + "Open the page you wanted again to sign in."),
    FORBIDDEN(403, "Forbidden", "forbidden",
            "Access denied",
            "The route's policy does not allow this request."),
    CLIENT_CERTIFICATE_REQUIRED(495, "SSL Certificate Error", "client_certificate_required",
            "Client certificate required",
            "This route requires a valid client certificate, and this request did not present one."),
    INTERNAL_ERROR(500, "Internal Server Error", "internal_error",
            "Something went wrong",
            "The proxy failed to answer this request. This is a fault of the proxy, not of your request; "
                    + "the log line with this request id says what happened."),
    STATE_STORE_UNAVAILABLE(503, "Service Unavailable", "state_store_unavailable",
            "Temporarily unavailable",
            "The proxy could not reach its session store, where it keeps sign-in state (sign-outs, used sign-in links), "
                    + "so it let nothing through. If you were signed in, you still are. Try again in a moment; if it goes "
                    + "on, the log line with this request id says why."),
    UPSTREAM_UNAVAILABLE(502, "Bad Gateway", "upstream_connect_error",
            "Bad gateway",
            "The application behind this address could not be reached. It may be stopped or restarting; try again shortly."),
    UPSTREAM_RESET(502, "Bad Gateway", "upstream_reset",
            "Bad gateway",
            "The application behind this address closed the connection without answering."),
    UPSTREAM_TIMEOUT(504, "Gateway Timeout", "upstream_timeout",
            "Gateway timeout",
            "The application behind this address did not answer in time.");

    private final int status;
    private final String reasonPhrase;
    private final String tag;
    private final String title;
    private final String explanation;

    ProxyFailure(int status, String reasonPhrase, String tag, String title, String explanation) {
        this.status = status;
        this.reasonPhrase = reasonPhrase;
        this.tag = tag;
        this.title = title;
        this.explanation = explanation;
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The status line's reason phrase ({@code 495 SSL Certificate Error}). */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** The stable name used in logs and metrics. */
    public String tag() {
        return tag;
    }

    public String title() {
        return title;
    }

    public String explanation() {
        return explanation;
    }
}
