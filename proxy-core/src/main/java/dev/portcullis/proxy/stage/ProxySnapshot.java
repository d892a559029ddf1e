package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.Options;
import dev.portcullis.proxy.forwardauth.ForwardAuthChecks;
import dev.portcullis.proxy.http.ForwardedHeaders;
import dev.portcullis.proxy.http.OwnedHeaders;
import dev.portcullis.proxy.route.RouteTable;
import dev.portcullis.proxy.signin.SignInRuntime;
import dev.portcullis.proxy.signin.SignInServices;
import java.util.Optional;

/**
 * Everything a request reads from the configuration, built once per configuration and swapped
 * as a whole: a request works with the snapshot it started with.
 */
public record ProxySnapshot(Options options, RouteTable routes, OwnPaths ownPaths, ForwardedHeaders forwardedHeaders,
        OwnedHeaders ownedHeaders, SignInServices signIn, ForwardAuthChecks forwardAuth, ResponseHeaders responseHeaders) {
    public ProxySnapshot {
        requireNonNull(options, "options");
        requireNonNull(routes, "routes");
        requireNonNull(ownPaths, "ownPaths");
        requireNonNull(forwardedHeaders, "forwardedHeaders");
        requireNonNull(ownedHeaders, "ownedHeaders");
        requireNonNull(signIn, "signIn");
        requireNonNull(forwardAuth, "forwardAuth");
        requireNonNull(responseHeaders, "responseHeaders");
    }

    /**
     * Builds the snapshot of {@code options}.
     *
     * @param previous the snapshot served until now, whose sign-in state carries over where the
     *                 settings it depends on did not change (see {@link SignInServices#of})
     * @throws IllegalArgumentException when the signing key or identity provider settings cannot be used
     */
    public static ProxySnapshot of(Options options, SignInRuntime runtime, Optional<ProxySnapshot> previous) {
        RouteTable routes = RouteTable.of(options.routes(), options.server().downstreamMtls());
        SignInServices signIn = SignInServices.of(options, routes, runtime, previous.map(ProxySnapshot::signIn));
        ForwardAuthChecks forwardAuth = new ForwardAuthChecks(options.forwardAuth().url());
        return new ProxySnapshot(options, routes, new OwnPaths(signIn.authenticateHost(), forwardAuth.host(), routes),
                new ForwardedHeaders(options.forwarding().xffNumTrustedHops(), options.forwarding().skipXffAppend()),
                new OwnedHeaders(options.identity().jwtClaimsHeaders().keySet(), signIn.ownCookieNames()),
                signIn, forwardAuth, new ResponseHeaders(options.responseHeaders()));
    }
}
