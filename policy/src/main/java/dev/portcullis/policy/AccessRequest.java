package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Everything a policy may look at for one request.
 *
 * @param identity                 who is signed in; empty for an anonymous request
 * @param method                   the HTTP method as sent ({@code GET}); compared exactly
 * @param path                     the URL path without the query string ({@code /admin/users})
 * @param clientAddress            the client's IP address, v4 or v6, without a port; empty when unknown
 *                                 (then no {@code source_ip} criterion matches)
 * @param time                     when the request arrived, from the proxy's clock
 * @param corsPreflight            an {@code OPTIONS} request with {@code Origin} and
 *                                 {@code Access-Control-Request-Method} headers
 * @param clientCertificate        the certificate the client presented, if any
 * @param invalidClientCertificate true when client certificates are required (a client CA is configured)
 *                                 and this request's certificate is missing or failed verification
 */
public record AccessRequest(Optional<Identity> identity, String method, String path, String clientAddress,
        Instant time, boolean corsPreflight, Optional<ClientCertificate> clientCertificate,
        boolean invalidClientCertificate) {
    public AccessRequest {
        requireNonNull(identity, "identity");
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(clientAddress, "clientAddress");
        requireNonNull(time, "time");
        requireNonNull(clientCertificate, "clientCertificate");
    }
}
