package dev.portcullis.proxy.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One request, once its answer is complete or abandoned: everything the access log and the metrics
 * report about it, and nothing they could change. Never the query string, cookies or other headers.
 *
 * @param requestId  the id shown on pages and sent upstream
 * @param method     the request's method as received (for a forward-auth check, the check's own)
 * @param protocol   {@code HTTP/1.1}, {@code HTTP/1.0} or {@code HTTP/2}
 * @param host       the host asked for, {@code host[:port]}; empty when the request had none usable
 * @param path       the canonical path (for a forward-auth check, the checked request's); empty when unreadable
 * @param status     the status answered, {@code 499} when the client left before an answer
 * @param duration   from the request's arrival to its last byte
 * @param route      the route that took it: its name and its {@code from} host
 * @param upstream   the upstream endpoint tried last
 * @param bytesIn    request body bytes read
 * @param bytesOut   response body bytes written
 * @param client     the client's address, as trusted
 * @param userId     the signed-in user's id
 * @param email      the signed-in user's email
 * @param outcome    how it ended when not simply answered: a failure tag, {@code client_closed}, {@code sign_in} …
 * @param decision   the access decision ({@code allow}, {@code sign_in}, {@code deny}) when a route's policy was asked
 * @param refusal    the policy's reasons when it did not allow
 */
public record FinishedRequest(String requestId, String method, String protocol, String host, String path, int status,
        Duration duration, Optional<RouteName> route, Optional<String> upstream, long bytesIn, long bytesOut,
        String client, Optional<String> userId, Optional<String> email, Optional<String> outcome,
        Optional<String> decision, Optional<Refusal> refusal) {

    public FinishedRequest {
        requireNonNull(requestId, "requestId");
        requireNonNull(method, "method");
        requireNonNull(protocol, "protocol");
        requireNonNull(host, "host");
        requireNonNull(path, "path");
        requireNonNull(duration, "duration");
        requireNonNull(route, "route");
        requireNonNull(upstream, "upstream");
        requireNonNull(client, "client");
        requireNonNull(userId, "userId");
        requireNonNull(email, "email");
        requireNonNull(outcome, "outcome");
        requireNonNull(decision, "decision");
        requireNonNull(refusal, "refusal");
    }

    /**
     * Why the policy did not allow.
     *
     * @param reasons     its reason words ({@code email-unauthorized} …)
     * @param explanation what it required, for the log only, never shown to the person refused
     */
    public record Refusal(List<String> reasons, String explanation) {
        public Refusal {
            reasons = List.copyOf(reasons);
            requireNonNull(explanation, "explanation");
        }
    }

    /** A route as reports name it: its {@code name} and the host of its {@code from}. */
    public record RouteName(String name, String fromHost) {
        public RouteName {
            requireNonNull(name, "name");
            requireNonNull(fromHost, "fromHost");
        }
    }
}
