package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.signin.Handoff;
import dev.portcullis.authn.signin.Handoffs;
import dev.portcullis.proxy.route.RequestHost;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Sends a browser signed in on the authenticate host to its route host: a redirect to the route
 * host's {@code /.pomerium/callback/} with a single-use hand-off carrying the session sealed for
 * route hosts (or, for programmatic login, for the client's redirect). The hand-off is for the host's name,
 * whatever the port: the cookie it becomes is sent on every port.
 */
final class HandOffRedirects {
    static final String CALLBACK_PATH = "/.pomerium/callback/";
    static final String HANDOFF_PARAMETER = "pomerium_handoff";

    private final Handoffs handoffs;
    private final CurrentSessions sessions;

    HandOffRedirects(Handoffs handoffs, CurrentSessions sessions) {
        this.handoffs = requireNonNull(handoffs, "handoffs");
        this.sessions = requireNonNull(sessions, "sessions");
    }

    /** The redirect handing {@code session} to the host of {@code returnUrl}, with {@code cookies} set on the way. */
    LocalAnswer redirect(Session session, URI returnUrl, Optional<URI> programmatic, List<String> cookies, Instant now) {
        RequestHost host = ReturnUrls.hostOf(returnUrl);
        // for the host name: the browser's cookies for it are the same on every port
        String token = handoffs.issue(new Handoff(host.name(), sessions.token(session), returnUrl, programmatic), now);
        QueryStringEncoder url = new QueryStringEncoder(returnUrl.getScheme() + "://"
                + host.authorityFor(returnUrl.getScheme()) + CALLBACK_PATH);
        url.addParam(HANDOFF_PARAMETER, token);
        return new LocalAnswer.Redirect(url.toString(), cookies);
    }
}
