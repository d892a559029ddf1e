package dev.portcullis.proxy.forwardauth;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.route.RequestHost;

/**
 * The request a front proxy asks about, as routing and policy see it: its host, its target in the
 * canonical form of proxy mode, and its method.
 *
 * @param mode   which endpoint was asked
 * @param host   the host of the checked URL
 * @param target the checked URL's path (canonical) and query
 * @param method the checked request's method (a {@link dev.portcullis.proxy.http.RequestMethod})
 */
public record CheckedRequest(CheckMode mode, RequestHost host, RequestTarget target, String method) {
    public CheckedRequest {
        requireNonNull(mode, "mode");
        requireNonNull(host, "host");
        requireNonNull(target, "target");
        requireNonNull(method, "method");
    }
}
