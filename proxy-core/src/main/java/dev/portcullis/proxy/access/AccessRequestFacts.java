package dev.portcullis.proxy.access;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;

/**
 * What an access check may look at: method, normalised path, client address, the request headers
 * (after untrusted headers were removed), the signed-in user's session, if any, and the client certificate of
 * the connection with what the configuration demands of it.
 */
public record AccessRequestFacts(String method, String path, String clientAddress, HttpHeaders headers,
        Optional<Session> session, ClientCertificateStatus clientCertificate) {
    public AccessRequestFacts {
        requireNonNull(clientCertificate, "clientCertificate");
    }
}
