package dev.portcullis.proxy.exchange;

import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.http.HeaderSpelling;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;

/**
 * A route's {@code kubernetes_service_account_token}, as Pomerium sends it: the upstream (a Kubernetes API server)
 * receives {@code Authorization: Bearer <token>} in place of the client's, and learns whom to act as from
 * {@code Impersonate-User} (the signed-in user's email) and {@code Impersonate-Group} (their groups, comma-joined),
 * each only when known. Every {@code Impersonate-*} header the client sent is removed first, so a client cannot
 * choose whom the proxy's service account impersonates.
 */
final class KubernetesImpersonation {
    private KubernetesImpersonation() {}

    /** Applies {@code token} (when the route has one) to the upstream request's {@code headers}. */
    static void apply(HttpHeaders headers, Optional<String> token, Optional<Session> session) {
        if (token.isEmpty()) {
            return;
        }
        HeaderSpelling.removeEvery(headers, HttpHeaderNames.AUTHORIZATION.toString());
        headers.names().stream()
                .filter(name -> HeaderSpelling.startsWith(name, "impersonate-"))
                .toList()
                .forEach(headers::remove);
        headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token.get());
        session.map(Session::email).filter(email -> !email.isEmpty())
                .ifPresent(email -> headers.set("Impersonate-User", email));
        session.map(Session::groups).filter(groups -> !groups.isEmpty())
                .ifPresent(groups -> headers.set("Impersonate-Group", String.join(",", groups)));
    }
}
