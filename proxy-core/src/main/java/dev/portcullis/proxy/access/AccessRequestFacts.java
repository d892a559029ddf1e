package dev.portcullis.proxy.access;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import java.util.Optional;

/**
 * What an access check may look at: method, canonical path, client address, whether the request
 * is a CORS preflight, the signed-in user's session, if any, and the client certificate of the
 * connection with what the configuration demands of it.
 *
 * @param corsPreflight {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}
 */
public record AccessRequestFacts(String method, String path, String clientAddress, boolean corsPreflight,
        Optional<Session> session, ClientCertificateStatus clientCertificate) {
    public AccessRequestFacts {
        requireNonNull(clientCertificate, "clientCertificate");
    }
}
