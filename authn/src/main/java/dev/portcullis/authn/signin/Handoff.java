package dev.portcullis.authn.signin;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * What the authenticate host hands a route host after sign-in, through the browser, at
 * {@code /.pomerium/callback/}: the session sealed for that route, and where to go next.
 *
 * @param host                 the name of the route host it is for (lower case, without a port: browsers send
 *                             a host's cookies on every port, so a session handed to it is its on every port)
 * @param sealedRouteSession   the session, sealed for route hosts, ready to be the cookie value
 * @param returnUrl            where the user was going, on {@code host}
 * @param programmaticRedirect for programmatic login, the client URL that receives the session as
 *                             {@code pomerium_jwt} instead of a cookie
 */
public record Handoff(String host, String sealedRouteSession, URI returnUrl, Optional<URI> programmaticRedirect) {
    public Handoff {
        requireNonNull(host, "host");
        requireNonNull(sealedRouteSession, "sealedRouteSession");
        requireNonNull(returnUrl, "returnUrl");
        requireNonNull(programmaticRedirect, "programmaticRedirect");
    }

    @Override
    public String toString() {
        return "Handoff[host=" + host + ", returnUrl=" + returnUrl + "]";
    }
}
