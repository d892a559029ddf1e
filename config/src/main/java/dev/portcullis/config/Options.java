package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.route.JwtIssuerFormat;
import dev.portcullis.config.route.Route;
import dev.portcullis.config.storage.StorageOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One complete, validated configuration snapshot. Immutable: a reload builds a new one.
 *
 * @param server           listener, TLS and downstream timeouts
 * @param forwarding       how requests are passed upstream (forwarded-header trust, default timeout)
 * @param secrets          the cookie and shared secrets (32 bytes each)
 * @param authenticateServiceUrl public URL of the sign-in host, when configured
 * @param authenticateCallbackPath identity provider redirect path on that host
 * @param responseHeaders  headers added to every response ({@code set_response_headers}); empty when disabled.
 *                         By default {@code X-Frame-Options}, {@code X-XSS-Protection} and
 *                         {@code Strict-Transport-Security}, which the proxy drops from responses not served
 *                         over TLS
 * @param logLevel         {@code debug}, {@code info}, {@code warn} or {@code error}
 * @param logFormat        {@code json} (one JSON object per line) or {@code console} (readable lines), or empty
 *                         when not set: the proxy then writes console lines to a terminal, JSON otherwise
 * @param routes           every route, {@code policy:} entries first, then {@code routes:}, in file order
 * @param identityProvider the identity provider users sign in with ({@code idp_*})
 * @param cookies          the session cookie's name and attributes ({@code cookie_*})
 * @param identity         what upstreams learn about the user, and the sign-in and sign-out rules
 * @param forwardAuth      the host answering nginx, Traefik and Caddy forward-auth checks ({@code forward_auth_*})
 * @param metrics          the Prometheus listener ({@code metrics_address}, {@code metrics_basic_auth})
 * @param tracing          where OpenTelemetry spans go ({@code otel_*}, or the older {@code tracing_*}); off by default
 * @param storage          where sign-in state lives: memory, or a Redis the replicas share ({@code databroker_storage_*})
 */
public record Options(
        ServerOptions server,
        ForwardingOptions forwarding,
        Secrets secrets,
        Optional<URI> authenticateServiceUrl,
        String authenticateCallbackPath,
        Map<String, String> responseHeaders,
        String logLevel,
        String logFormat,
        List<Route> routes,
        IdentityProviderOptions identityProvider,
        CookieOptions cookies,
        IdentityOptions identity,
        ForwardAuthOptions forwardAuth,
        MetricsOptions metrics,
        TracingOptions tracing,
        StorageOptions storage) {

    public Options {
        requireNonNull(server, "server");
        requireNonNull(forwarding, "forwarding");
        requireNonNull(secrets, "secrets");
        requireNonNull(authenticateServiceUrl, "authenticateServiceUrl");
        requireNonNull(authenticateCallbackPath, "authenticateCallbackPath");
        responseHeaders = Map.copyOf(responseHeaders);
        requireNonNull(logLevel, "logLevel");
        requireNonNull(logFormat, "logFormat");
        routes = List.copyOf(routes);
        requireNonNull(identityProvider, "identityProvider");
        requireNonNull(cookies, "cookies");
        requireNonNull(identity, "identity");
        requireNonNull(forwardAuth, "forwardAuth");
        requireNonNull(metrics, "metrics");
        requireNonNull(tracing, "tracing");
        requireNonNull(storage, "storage");
    }

    /**
     * The listener.
     *
     * @param address          {@code host:port} or {@code :port}; {@code :443} by default
     * @param insecureServer   plain HTTP on {@code address} (TLS ends in front, e.g. at DSM's nginx)
     * @param httpRedirectAddr a second plain-HTTP listener that redirects to https, e.g. {@code :80}
     * @param certificates     certificates chosen by SNI; empty means a self-signed one (unless insecure)
     * @param tlsMinVersion    {@code TLSv1.2} or {@code TLSv1.3}
     * @param timeoutRead      longest time to read a whole request ({@code timeout_read}, 30s); zero: none
     * @param timeoutWrite     longest time to write a whole response ({@code timeout_write}); zero: none
     * @param timeoutIdle      longest idle time of a kept-alive connection ({@code timeout_idle}, 5m)
     * @param downstreamMtls   client certificates ({@code downstream_mtls}); empty when no CA is configured
     * @param autocert         certificates from an ACME CA ({@code autocert*}); off unless {@code autocert: true}
     * @param useProxyProtocol each connection to {@code address} must begin with a PROXY protocol header (v1 or
     *                         v2), whose source is the client address ({@code use_proxy_protocol}, false)
     */
    public record ServerOptions(
            String address,
            boolean insecureServer,
            Optional<String> httpRedirectAddr,
            List<CertificatePair> certificates,
            String tlsMinVersion,
            Duration timeoutRead,
            Duration timeoutWrite,
            Duration timeoutIdle,
            Optional<DownstreamMtls> downstreamMtls,
            Autocert autocert,
            boolean useProxyProtocol) {
        public ServerOptions {
            requireNonNull(address, "address");
            requireNonNull(httpRedirectAddr, "httpRedirectAddr");
            certificates = List.copyOf(certificates);
            requireNonNull(tlsMinVersion, "tlsMinVersion");
            requireNonNull(timeoutRead, "timeoutRead");
            requireNonNull(timeoutWrite, "timeoutWrite");
            requireNonNull(timeoutIdle, "timeoutIdle");
            requireNonNull(downstreamMtls, "downstreamMtls");
            requireNonNull(autocert, "autocert");
        }

        /** These options with {@code mtls} as the client certificate settings of the listener. */
        public ServerOptions withDownstreamMtls(Optional<DownstreamMtls> mtls) {
            return new ServerOptions(address, insecureServer, httpRedirectAddr, certificates, tlsMinVersion, timeoutRead,
                    timeoutWrite, timeoutIdle, mtls, autocert, useProxyProtocol);
        }
    }

    /**
     * A certificate chain and its private key, both PEM text, already read from wherever the
     * configuration pointed (inline base64, a file, or the {@code certificates:} list).
     *
     * @param source         where it came from, for log lines and errors (never the key itself)
     * @param certificatePem the PEM certificate chain, leaf first
     * @param keyPem         the PEM private key
     */
    public record CertificatePair(String source, String certificatePem, String keyPem) {
        public CertificatePair {
            requireNonNull(source, "source");
            requireNonNull(certificatePem, "certificatePem");
            requireNonNull(keyPem, "keyPem");
        }

        @Override
        public String toString() {
            return "CertificatePair[" + source + "]";
        }
    }

    /**
     * How requests are passed upstream.
     *
     * @param xffNumTrustedHops      how many front proxies' {@code X-Forwarded-*} entries to believe (0)
     * @param skipXffAppend          do not append the client address to {@code X-Forwarded-For}
     * @param defaultUpstreamTimeout a route's {@code timeout} when it sets none (30s)
     */
    public record ForwardingOptions(int xffNumTrustedHops, boolean skipXffAppend, Duration defaultUpstreamTimeout) {
        public ForwardingOptions {
            requireNonNull(defaultUpstreamTimeout, "defaultUpstreamTimeout");
        }
    }

    /**
     * The two secrets every replica shares. Never printed: {@link #toString()} hides them.
     *
     * @param cookieSecret 32 bytes that seal cookies and OAuth state
     * @param sharedSecret 32 bytes that sign hand-offs and derive the default signing key
     */
    public record Secrets(byte[] cookieSecret, byte[] sharedSecret) {
        public Secrets {
            cookieSecret = cookieSecret.clone();
            sharedSecret = sharedSecret.clone();
        }

        @Override
        public byte[] cookieSecret() {
            return cookieSecret.clone();
        }

        @Override
        public byte[] sharedSecret() {
            return sharedSecret.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Secrets s
                    && java.security.MessageDigest.isEqual(cookieSecret, s.cookieSecret)
                    && java.security.MessageDigest.isEqual(sharedSecret, s.sharedSecret);
        }

        @Override
        public int hashCode() {
            return 0;
        }

        @Override
        public String toString() {
            return "Secrets[hidden]";
        }
    }

    /**
     * The identity provider users sign in with. All empty when {@code idp_provider} is not set; when it
     * is, the client id and secret are present, and so is the issuer URL for the providers that have no
     * fixed one ({@code oidc}, {@code azure}, {@code okta}, {@code auth0}, {@code cognito},
     * {@code onelogin}, {@code ping}). With {@code builtin} there is no OAuth client (client id, secret,
     * issuer, scopes and parameters are empty) and the users file is present. Never printed with its
     * secret: {@link #toString()} hides it.
     *
     * @param provider      {@code builtin}, {@code oidc}, {@code google}, {@code azure}, {@code github},
     *                      {@code gitlab}, {@code okta}, {@code auth0}, {@code cognito}, {@code onelogin} or
     *                      {@code ping}, lower case
     * @param providerUrl   the issuer ({@code idp_provider_url}); discovery is at
     *                      {@code /.well-known/openid-configuration} below it
     * @param clientId      the OAuth client id
     * @param clientSecret  the OAuth client secret ({@code idp_client_secret} or the content of
     *                      {@code idp_client_secret_file}, surrounding whitespace removed)
     * @param scopes        the scopes to request, in order, without duplicates; empty: the provider's default
     * @param requestParams extra authorization request parameters, in configuration order
     * @param builtinUsersFile with {@code builtin}: the users file ({@code builtin_users_file}), which existed
     *                      when the configuration was read; its content is read by the proxy at start-up
     */
    public record IdentityProviderOptions(
            Optional<String> provider,
            Optional<URI> providerUrl,
            Optional<String> clientId,
            Optional<String> clientSecret,
            List<String> scopes,
            Map<String, String> requestParams,
            Optional<Path> builtinUsersFile) {

        /** The built-in provider: users kept in {@link #builtinUsersFile()}, no OAuth client. */
        public static final String BUILTIN = "builtin";

        public IdentityProviderOptions {
            requireNonNull(provider, "provider");
            requireNonNull(providerUrl, "providerUrl");
            requireNonNull(clientId, "clientId");
            requireNonNull(clientSecret, "clientSecret");
            scopes = List.copyOf(scopes);
            requestParams = Collections.unmodifiableMap(new LinkedHashMap<>(requestParams));
            requireNonNull(builtinUsersFile, "builtinUsersFile");
        }

        /** No identity provider: nobody can sign in. */
        public static IdentityProviderOptions none() {
            return new IdentityProviderOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of(), Map.of(), Optional.empty());
        }

        /** Whether users sign in with the built-in provider ({@code idp_provider: builtin}). */
        public boolean isBuiltin() {
            return provider.filter(BUILTIN::equals).isPresent();
        }

        @Override
        public String toString() {
            return "IdentityProviderOptions[provider=" + provider + ", providerUrl=" + providerUrl + ", clientId=" + clientId
                    + ", clientSecret=" + clientSecret.map(s -> "hidden").orElse("none") + ", scopes=" + scopes
                    + ", requestParams=" + requestParams + ", builtinUsersFile=" + builtinUsersFile + "]";
        }
    }

    /**
     * The route session cookie. The sign-in host's cookie is {@code <name>_authenticate} and the CSRF
     * cookie {@code <name>_csrf}; a large session is split over {@code <name>_1}, {@code <name>_2} ….
     *
     * @param name     {@code cookie_name}, an RFC 6265 token ({@code _pomerium})
     * @param domain   the Domain attribute, lower case without a leading dot; empty: host-only (the default)
     * @param expire   session lifetime, at least one second (14h)
     * @param secure   the Secure attribute (true)
     * @param httpOnly the HttpOnly attribute (true)
     * @param sameSite {@code lax} (the default), {@code strict} or {@code none}; {@code none} only with {@code secure}
     */
    public record CookieOptions(
            String name,
            Optional<String> domain,
            Duration expire,
            boolean secure,
            boolean httpOnly,
            String sameSite) {

        public CookieOptions {
            requireNonNull(name, "name");
            requireNonNull(domain, "domain");
            requireNonNull(expire, "expire");
            requireNonNull(sameSite, "sameSite");
        }
    }

    /**
     * What upstreams learn about the signed-in user, and where sign-in and sign-out may send the browser.
     * {@link #toString()} does not show the signing key.
     *
     * @param signingKeyPem               PEM text holding the private key that signs the JWT assertion
     *                                    ({@code signing_key}, base64 of PEM, or {@code signing_key_file});
     *                                    empty: derived from {@code shared_secret}. Parsed by authn.
     * @param jwtClaimsHeaders            header name → claim name ({@code jwt_claims_headers}), in configuration
     *                                    order; a listed claim {@code c} becomes {@code X-Pomerium-Claim-c}
     * @param passIdentityHeaders         the routes' default for {@code pass_identity_headers}: true here
     *                                    (Pomerium ≥ 0.10: false)
     * @param programmaticRedirectDomains hosts programmatic login may redirect to, lower case ({@code [localhost]})
     * @param signoutRedirectUrl          where sign-out ends when the request names no place
     * @param jwtEndpoint                 serve {@code GET /.pomerium/jwt} ({@code runtime_flags.pomerium_jwt_endpoint})
     * @param allowAnySignOutRedirect     sign-out may redirect anywhere
     *                                    ({@code runtime_flags.allow_any_sign_out_redirect_uri})
     * @param jwtIssuerFormat             the top-level {@code jwt_issuer_format}: the routes' default, and the
     *                                    format of assertions made outside any route ({@code /.pomerium/jwt})
     * @param routesPortal                serve the routes portal, {@code /.pomerium/routes} and
     *                                    {@code /.pomerium/api/v1/routes} ({@code runtime_flags.routes_portal}, true)
     */
    public record IdentityOptions(
            Optional<String> signingKeyPem,
            Map<String, String> jwtClaimsHeaders,
            boolean passIdentityHeaders,
            List<String> programmaticRedirectDomains,
            Optional<URI> signoutRedirectUrl,
            boolean jwtEndpoint,
            boolean allowAnySignOutRedirect,
            JwtIssuerFormat jwtIssuerFormat,
            boolean routesPortal) {

        public IdentityOptions {
            requireNonNull(signingKeyPem, "signingKeyPem");
            jwtClaimsHeaders = Collections.unmodifiableMap(new LinkedHashMap<>(jwtClaimsHeaders));
            programmaticRedirectDomains = List.copyOf(programmaticRedirectDomains);
            requireNonNull(signoutRedirectUrl, "signoutRedirectUrl");
            requireNonNull(jwtIssuerFormat, "jwtIssuerFormat");
        }

        /** With the routes portal on, as by default. */
        public IdentityOptions(Optional<String> signingKeyPem, Map<String, String> jwtClaimsHeaders,
                boolean passIdentityHeaders, List<String> programmaticRedirectDomains, Optional<URI> signoutRedirectUrl,
                boolean jwtEndpoint, boolean allowAnySignOutRedirect, JwtIssuerFormat jwtIssuerFormat) {
            this(signingKeyPem, jwtClaimsHeaders, passIdentityHeaders, programmaticRedirectDomains, signoutRedirectUrl,
                    jwtEndpoint, allowAnySignOutRedirect, jwtIssuerFormat, true);
        }

        @Override
        public String toString() {
            return "IdentityOptions[signingKeyPem=" + signingKeyPem.map(k -> "hidden").orElse("derived")
                    + ", jwtClaimsHeaders=" + jwtClaimsHeaders + ", passIdentityHeaders=" + passIdentityHeaders
                    + ", programmaticRedirectDomains=" + programmaticRedirectDomains + ", signoutRedirectUrl="
                    + signoutRedirectUrl + ", jwtEndpoint=" + jwtEndpoint + ", allowAnySignOutRedirect="
                    + allowAnySignOutRedirect + ", jwtIssuerFormat=" + jwtIssuerFormat + ", routesPortal=" + routesPortal + "]";
        }
    }

    /**
     * Forward-auth: nginx ({@code auth_request}), Traefik ({@code forwardauth}) and Caddy ({@code forward_auth})
     * ask the proxy whether a request may pass. Off unless {@code url} is set. When set, its host differs from
     * the host of {@code authenticate_service_url} and from every route's host.
     *
     * @param url             forward_auth_url: the host (and port) on which the proxy answers verification requests,
     *                        e.g. https://forwardauth.example.com or http://portcullis:80 inside a Docker network
     * @param identityHeaders forward_auth_identity_headers: also answer Remote-User/Remote-Email/Remote-Groups/Remote-Name
     *                        and X-Auth-Request-User/-Email/-Groups (default false)
     */
    public record ForwardAuthOptions(Optional<URI> url, boolean identityHeaders) {
        public ForwardAuthOptions {
            requireNonNull(url, "url");
        }
    }

    /**
     * The Prometheus listener. Off unless {@code address} is set. {@link #toString()} does not show the
     * credentials.
     *
     * @param address   {@code metrics_address}: {@code host:port} or {@code :port} of a plain-HTTP listener
     *                  serving {@code GET /metrics}
     * @param basicAuth {@code metrics_basic_auth}, decoded: the {@code user:pass} a scraper must send with
     *                  HTTP Basic authentication; empty: anyone who can reach the listener may read it
     */
    public record MetricsOptions(Optional<String> address, Optional<String> basicAuth) {
        public MetricsOptions {
            requireNonNull(address, "address");
            requireNonNull(basicAuth, "basicAuth");
        }

        /** No metrics listener. */
        public static MetricsOptions off() {
            return new MetricsOptions(Optional.empty(), Optional.empty());
        }

        @Override
        public String toString() {
            return "MetricsOptions[address=" + address + ", basicAuth=" + basicAuth.map(a -> "hidden").orElse("none") + "]";
        }
    }

    /**
     * Where OpenTelemetry spans are exported: OTLP over HTTP with protobuf bodies. Off unless
     * {@code tracesEndpoint} is set. {@link #toString()} does not show the header values (they often carry
     * an API key).
     *
     * @param tracesEndpoint the full URL spans are POSTed to, e.g. {@code http://jaeger:4318/v1/traces}
     *                       ({@code otel_exporter_otlp_endpoint} + {@code /v1/traces}, or derived from the older
     *                       {@code tracing_jaeger_collector_endpoint}); empty: tracing is off
     * @param headers        {@code otel_exporter_otlp_headers}: sent with every export
     * @param sampleRate     share of new traces recorded, 0 to 1 ({@code otel_traces_sampler_arg} or
     *                       {@code tracing_sample_rate}); a request that arrives with a sampled {@code traceparent}
     *                       is always recorded
     */
    public record TracingOptions(Optional<URI> tracesEndpoint, Map<String, String> headers, double sampleRate) {
        public TracingOptions {
            requireNonNull(tracesEndpoint, "tracesEndpoint");
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            if (!(sampleRate >= 0 && sampleRate <= 1)) {
                throw new IllegalArgumentException("sampleRate: " + sampleRate + " (expected: 0 to 1)");
            }
        }

        /** No tracing. */
        public static TracingOptions off() {
            return new TracingOptions(Optional.empty(), Map.of(), 1.0);
        }

        /** Whether spans are exported at all. */
        public boolean enabled() {
            return tracesEndpoint.isPresent();
        }

        @Override
        public String toString() {
            return "TracingOptions[tracesEndpoint=" + tracesEndpoint + ", headers=" + headers.keySet()
                    + " (values hidden), sampleRate=" + sampleRate + "]";
        }
    }
}
