package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One validated route.
 *
 * @param yamlPath        where it was declared ({@code routes[2]}, {@code policy[0]}), for errors and logs
 * @param name            {@code name:} when given, otherwise derived from {@code from} and the path match
 * @param match           which requests it takes
 * @param action          what it does with them: forward, redirect or answer
 * @param rewrite         how the request line and Host change on the way upstream
 * @param headers         request and response header edits
 * @param timeouts        the route's upstream timeouts
 * @param upstreamTls     how https upstreams are verified
 * @param access          who may pass (the policy module compiles this)
 * @param allowWebsockets let {@code Upgrade: websocket} through as a two-way byte pipe
 * @param passIdentityHeaders send the JWT assertion and claim headers upstream ({@code pass_identity_headers};
 *                        unset: the global {@code pass_identity_headers}, true by default)
 * @param downstreamClientCaPem the CA bundle (PEM) that judges client certificates on this route in place of
 *                        {@code downstream_mtls.ca} ({@code tls_downstream_client_ca[_file]}); the rest of
 *                        {@code downstream_mtls} (enforcement, CRL, name matchers, depth) still applies
 * @param kubernetesServiceAccountToken sent upstream as {@code Authorization: Bearer …} in place of the client's,
 *                        with {@code Impersonate-User}/{@code Impersonate-Group} naming the signed-in user
 *                        ({@code kubernetes_service_account_token[_file]})
 * @param showErrorDetails the proxy's error pages on this route say what went wrong technically
 *                        ({@code show_error_details})
 * @param jwtIssuerFormat how the assertion's {@code iss} names the route ({@code jwt_issuer_format}; unset: the
 *                        global {@code jwt_issuer_format}, {@code hostOnly} by default)
 * @param portal          how it shows in the routes portal ({@code description}, {@code logo_url})
 * @param idpClient       the OAuth client people sign in to this route through ({@code idp_client_id},
 *                        {@code idp_client_secret}; {@link RouteIdpClient#NONE}: the top-level one)
 */
public record Route(
        String yamlPath,
        String name,
        RouteMatch match,
        RouteAction action,
        RequestRewrite rewrite,
        HeaderRules headers,
        RouteTimeouts timeouts,
        UpstreamTls upstreamTls,
        AccessRules access,
        boolean allowWebsockets,
        boolean passIdentityHeaders,
        Optional<String> downstreamClientCaPem,
        Optional<String> kubernetesServiceAccountToken,
        boolean showErrorDetails,
        JwtIssuerFormat jwtIssuerFormat,
        RoutePortal portal,
        RouteIdpClient idpClient) {

    public Route {
        requireNonNull(yamlPath, "yamlPath");
        requireNonNull(name, "name");
        requireNonNull(match, "match");
        requireNonNull(action, "action");
        requireNonNull(rewrite, "rewrite");
        requireNonNull(headers, "headers");
        requireNonNull(timeouts, "timeouts");
        requireNonNull(upstreamTls, "upstreamTls");
        requireNonNull(access, "access");
        requireNonNull(jwtIssuerFormat, "jwtIssuerFormat");
        requireNonNull(downstreamClientCaPem, "downstreamClientCaPem");
        requireNonNull(kubernetesServiceAccountToken, "kubernetesServiceAccountToken");
        requireNonNull(portal, "portal");
        requireNonNull(idpClient, "idpClient");
    }

    /** A route signing people in through the top-level OAuth client. */
    public Route(String yamlPath, String name, RouteMatch match, RouteAction action, RequestRewrite rewrite,
            HeaderRules headers, RouteTimeouts timeouts, UpstreamTls upstreamTls, AccessRules access,
            boolean allowWebsockets, boolean passIdentityHeaders, Optional<String> downstreamClientCaPem,
            Optional<String> kubernetesServiceAccountToken, boolean showErrorDetails, JwtIssuerFormat jwtIssuerFormat,
            RoutePortal portal) {
        this(yamlPath, name, match, action, rewrite, headers, timeouts, upstreamTls, access, allowWebsockets,
                passIdentityHeaders, downstreamClientCaPem, kubernetesServiceAccountToken, showErrorDetails,
                jwtIssuerFormat, portal, RouteIdpClient.NONE);
    }

    /** A route without a portal description or logo. */
    public Route(String yamlPath, String name, RouteMatch match, RouteAction action, RequestRewrite rewrite,
            HeaderRules headers, RouteTimeouts timeouts, UpstreamTls upstreamTls, AccessRules access,
            boolean allowWebsockets, boolean passIdentityHeaders, Optional<String> downstreamClientCaPem,
            Optional<String> kubernetesServiceAccountToken, boolean showErrorDetails, JwtIssuerFormat jwtIssuerFormat) {
        this(yamlPath, name, match, action, rewrite, headers, timeouts, upstreamTls, access, allowWebsockets,
                passIdentityHeaders, downstreamClientCaPem, kubernetesServiceAccountToken, showErrorDetails,
                jwtIssuerFormat, RoutePortal.NONE);
    }

    /** A route with none of the options that only some routes have. */
    public Route(String yamlPath, String name, RouteMatch match, RouteAction action, RequestRewrite rewrite,
            HeaderRules headers, RouteTimeouts timeouts, UpstreamTls upstreamTls, AccessRules access,
            boolean allowWebsockets, boolean passIdentityHeaders) {
        this(yamlPath, name, match, action, rewrite, headers, timeouts, upstreamTls, access, allowWebsockets,
                passIdentityHeaders, Optional.empty(), Optional.empty(), false, JwtIssuerFormat.HOST_ONLY);
    }

    /** Never prints the service account token nor the client secret. */
    @Override
    public String toString() {
        return "Route[" + yamlPath + " " + name + "]";
    }
}
