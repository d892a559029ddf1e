package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.signin.LocalAnswer;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Optional;

/**
 * An answer the proxy gives itself, described in plain values; the exchange layer renders it (the
 * page, the top-level {@code set_response_headers}, the renewed session's cookies) and sends it.
 */
public sealed interface Reply {

    /**
     * The failure's page, listing the policy's reason words when the policy refused.
     *
     * @param close whether the connection is closed after it: the request could not be read safely,
     *              so nothing after it on the connection can be trusted
     * @param detail one sentence saying why, shown on the page: what in the proxy's configuration caused it
     *               ({@link ProxyFailure#SIGN_IN_UNAVAILABLE}), or, on a route with {@code show_error_details}, what went
     *               wrong technically (why the upstream could not be reached); never a stack trace
     */
    record Failure(ProxyFailure failure, List<String> reasons, boolean close, Optional<String> detail) implements Reply {
        public Failure {
            requireNonNull(failure, "failure");
            reasons = List.copyOf(reasons);
            requireNonNull(detail, "detail");
        }

        /** Without a sentence saying why. */
        public Failure(ProxyFailure failure, List<String> reasons, boolean close) {
            this(failure, reasons, close, Optional.empty());
        }
    }

    /**
     * {@code 403} for a signed-in user the policy refused: who they are, the route, the reasons, a way to switch user,
     * and with {@code show_error_details} the policy's explanation.
     */
    record Forbidden(Session session, String routeName, List<String> reasons, String signInAgainUrl,
            Optional<String> details) implements Reply {
        public Forbidden {
            requireNonNull(session, "session");
            requireNonNull(routeName, "routeName");
            reasons = List.copyOf(reasons);
            requireNonNull(signInAgainUrl, "signInAgainUrl");
            requireNonNull(details, "details");
        }

        public Forbidden(Session session, String routeName, List<String> reasons, String signInAgainUrl) {
            this(session, routeName, reasons, signInAgainUrl, Optional.empty());
        }
    }

    /** {@code 401} for an API client that is not signed in, naming where to sign in. */
    record Unauthenticated(String signInUrl) implements Reply {
        public Unauthenticated {
            requireNonNull(signInUrl, "signInUrl");
        }
    }

    /**
     * A redirect without a body.
     *
     * @param noStore whether it carries {@code Cache-Control: no-store} (a sign-in redirect must never be cached)
     */
    record Redirect(int status, String location, boolean noStore) implements Reply {
        public Redirect {
            requireNonNull(location, "location");
        }
    }

    /** A {@code text/plain} body (health checks, a route's fixed {@code response}) with extra headers. */
    record Text(int status, String body, Map<String, String> headers) implements Reply {
        public Text {
            requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }
    }

    /** The answer of one of the proxy's sign-in endpoints. */
    record Endpoint(LocalAnswer answer) implements Reply {
        public Endpoint {
            requireNonNull(answer, "answer");
        }
    }

    /** A forward-auth check's {@code 200}, with what the front proxy copies to the upstream. */
    record Allowed(Map<String, String> headers) implements Reply {
        public Allowed {
            headers = Map.copyOf(headers);
        }
    }

    static Reply failure(ProxyFailure failure) {
        return new Failure(failure, List.of(), false);
    }
}
