package dev.portcullis.proxy.signin;

import dev.portcullis.authn.session.Session;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.HeaderTemplate;
import java.util.Collection;
import java.util.List;

/**
 * Which of the identity provider's tokens some route sends upstream ({@code ${pomerium.id_token}},
 * {@code ${pomerium.access_token}} in its {@code set_request_headers}), and so which tokens a session cookie
 * carries.
 *
 * <p>Pomerium keeps sessions, tokens included, in its databroker and the cookie holds a reference. Here the
 * session lives in the sealed cookie (a restart or another replica logs no one out), so tokens make the cookie
 * larger: an ID or access token is 1–2 KB, more with Azure's group claims, and some front proxies refuse a
 * request whose {@code Cookie} passes 8 KB. A cookie therefore carries a token only when a route of the current
 * configuration reads it. The authenticate host's cookie always keeps the ID token (the {@code id_token_hint}
 * of sign-out); a route host's cookie and the hand-off keep each token only when needed. A configuration that
 * starts using a token sees it after the user's next sign-in or token renewal.
 *
 * @param idToken     some route substitutes the ID token
 * @param accessToken some route substitutes the access token
 */
record UpstreamTokens(boolean idToken, boolean accessToken) {
    private static final List<String> ID_TOKEN = List.of("pomerium", "id_token");
    private static final List<String> ACCESS_TOKEN = List.of("pomerium", "access_token");

    /** What {@code routes} substitute. */
    static UpstreamTokens of(Collection<Route> routes) {
        boolean id = false;
        boolean access = false;
        for (Route route : routes) {
            for (String template : route.headers().setRequestHeaders().values()) {
                var references = HeaderTemplate.references(template);
                id |= references.contains(ID_TOKEN);
                access |= references.contains(ACCESS_TOKEN);
            }
        }
        return new UpstreamTokens(id, access);
    }

    /** {@code session} as a route host's cookie (or a hand-off, or a programmatic token) carries it. */
    Session forRouteHost(Session session) {
        return session.keepingTokens(idToken, accessToken);
    }

    /** {@code session} as the authenticate host's cookie carries it. */
    Session forAuthenticateHost(Session session) {
        return session.keepingTokens(true, accessToken);
    }
}
