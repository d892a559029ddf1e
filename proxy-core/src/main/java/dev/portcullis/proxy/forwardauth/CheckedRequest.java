package dev.portcullis.proxy.forwardauth;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.route.RequestHost;

/**
 * The request a front proxy asks about, as routing and policy see it: its host, its target
 * normalised exactly as in proxy mode, and its method.
 *
 * @param mode   which endpoint was asked
 * @param host   the host of the checked URL
 * @param target the checked URL's path (normalised) and query
 * @param method the checked request's method
 */
public record CheckedRequest(CheckMode mode, RequestHost host, RequestTarget target, String method) {
    public CheckedRequest {
        requireNonNull(mode, "mode");
        requireNonNull(host, "host");
        requireNonNull(target, "target");
        requireNonNull(method, "method");
    }
}
