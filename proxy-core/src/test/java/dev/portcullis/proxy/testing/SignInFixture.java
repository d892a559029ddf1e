package dev.portcullis.proxy.testing;

import dev.portcullis.authn.testing.TestClock;

/**
 * A proxy with sign-in against a real OpenID Connect provider: the authenticate service on
 * {@code authenticate.test}, an upstream that records what it receives, and three routes —
 * {@code app.test} (alice@example.com only, by the policy language), {@code other.test} (the same,
 * by the older {@code allowed_users}), and {@code public.test} (anyone).
 */
public final class SignInFixture implements AutoCloseable {
    public final TestIdentityProvider idp;
    public final TestUpstream upstream;
    public final int port;
    /** The proxy's time: advance it to reach an expiry or a renewal without waiting. */
    public final TestClock clock = new TestClock();
    /** Sign-in's stores (in memory), which a test can make fail as an unreachable store would. */
    public final StoreOutage stores = new StoreOutage(clock);
    private final String extraRoutes;
    private RunningProxy proxy;

    private SignInFixture(String extra, String extraRoutes) throws Exception {
        idp = new TestIdentityProvider();
        upstream = new TestUpstream("app");
        port = TestIdentityProvider.freePort();
        this.extraRoutes = extraRoutes;
        proxy = RunningProxy.start(config(extra), java.util.Map.of(), clock, stores.stores());
    }

    /** Starts it all; {@code extra} is top-level YAML added to the configuration ({@code PORT}: the proxy's port). */
    public static SignInFixture start(String extra) throws Exception {
        return new SignInFixture(extra, "");
    }

    /**
     * Starts it all with more routes after the three standard ones; in {@code extraRoutes},
     * {@code PORT} stands for the proxy's port.
     */
    public static SignInFixture startWithRoutes(String extraRoutes) throws Exception {
        return new SignInFixture("", extraRoutes);
    }

    /** Starts it all with more routes and more top-level YAML ({@code PORT}: the proxy's port in both). */
    public static SignInFixture startWithRoutes(String extraRoutes, String extra) throws Exception {
        return new SignInFixture(extra, extraRoutes);
    }

    /** Starts the proxy again, on the same port, with other top-level YAML. */
    public void restart(String extra) throws Exception {
        proxy.close();
        proxy = RunningProxy.start(config(extra), java.util.Map.of(), clock, stores.stores());
    }

    /** Serves the configuration with other top-level YAML in the running proxy, as a reload does. */
    public void reload(String extra) throws Exception {
        proxy.server().apply(RunningProxy.load(config(extra), java.util.Map.of()));
    }

    /** {@code http://<host>.test:<port><path>}. */
    public String url(String host, String path) {
        return "http://" + authority(host) + path;
    }

    /** {@code <host>.test:<port>}: the host as a browser names it. */
    public String authority(String host) {
        return host + ".test:" + port;
    }

    private String config(String extra) {
        return """
                address: 127.0.0.1:%1$d
                authenticate_service_url: http://authenticate.test:%1$d
                idp_provider: oidc
                idp_provider_url: %2$s
                idp_client_id: %3$s
                idp_client_secret: %4$s
                cookie_secure: false
                jwt_claims_headers: [email, groups]
                %6$s
                routes:
                  - from: http://app.test:%1$d
                    to: %5$s
                    allow_websockets: true
                    policy:
                      - allow:
                          or:
                            - email:
                                is: alice@example.com
                  - from: http://other.test:%1$d
                    to: %5$s
                    allowed_users: [alice@example.com]
                  - from: http://public.test:%1$d
                    to: %5$s
                    allow_public_unauthenticated_access: true
                """.formatted(port, idp.issuerUrl(), TestIdentityProvider.CLIENT_ID, TestIdentityProvider.CLIENT_SECRET,
                upstream.url(), extra.replace("PORT", Integer.toString(port)))
                + extraRoutes.replace("PORT", Integer.toString(port));
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
        idp.close();
    }
}
