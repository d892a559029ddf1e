package dev.portcullis.proxy.signin;

import dev.portcullis.authn.session.Session;
import java.util.List;
import java.util.Optional;

/**
 * The session a request carries, if any, after revocation and renewal were checked.
 *
 * @param session    the signed-in user's session, or empty for a stranger
 * @param setCookies {@code Set-Cookie} values to send with the answer (a renewed session's cookie)
 */
public record CurrentSession(Optional<Session> session, List<String> setCookies) {
    public static final CurrentSession NONE = new CurrentSession(Optional.empty(), List.of());

    public CurrentSession {
        setCookies = List.copyOf(setCookies);
    }

    static CurrentSession of(Session session) {
        return new CurrentSession(Optional.of(session), List.of());
    }
}
