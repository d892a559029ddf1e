package dev.portcullis.proxy.forwardauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TestUpstream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verification endpoints as front proxies call them, with their exact request shapes: Traefik
 * ({@code forwardauth}, with and without {@code ?uri=}), nginx ({@code auth_request} with
 * {@code X-Original-Url}) and Caddy ({@code forward_auth}); then path normalisation and spoofed
 * forwarded headers.
 */
class ForwardAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private SignInFixture fixture;
    private SignInClient client;
    /** The upstream of mixed.test, a host with a route that forwards besides one that only answers checks. */
    private TestUpstream mixed;

    @BeforeEach
    void start() throws Exception {
        mixed = new TestUpstream("mixed");
        fixture = SignInFixture.startWithRoutes("""
                  - from: http://paths.test:PORT
                    policy:
                      - allow:
                          or:
                            - http_path:
                                starts_with: /public
                      - allow:
                          and:
                            - email:
                                is: alice@example.com
                  - from: http://mixed.test:PORT
                    prefix: /checked
                    allow_public_unauthenticated_access: true
                  - from: http://mixed.test:PORT
                    to: UPSTREAM
                    allow_public_unauthenticated_access: true
                """.replace("UPSTREAM", mixed.url()), """
                forward_auth_url: http://forwardauth.test:PORT
                forward_auth_identity_headers: true
                xff_num_trusted_hops: 1
                """);
        client = new SignInClient(fixture.port);
    }

    @AfterEach
    void stop() {
        fixture.close();
        mixed.close();
    }

    private String check(String path) {
        return "http://forwardauth.test:" + fixture.port + path;
    }

    private static String uri(String url) {
        return URLEncoder.encode(url, StandardCharsets.UTF_8);
    }

    /** The headers Traefik's forwardauth middleware sends for a browser's request to {@code url}. */
    private static String[] traefik(String url, String... more) {
        URI u = URI.create(url);
        List<String> headers = new ArrayList<>(List.of(
                "X-Forwarded-Method", "GET", "X-Forwarded-Proto", u.getScheme(), "X-Forwarded-Host", u.getRawAuthority(),
                "X-Forwarded-Uri", u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()),
                "X-Forwarded-For", "192.0.2.10",
                "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        headers.addAll(List.of(more));
        return headers.toArray(String[]::new);
    }

    /** Signs alice in the way a browser behind Traefik does, returning the route cookie Traefik passed on. */
    private String signInThroughTraefik(String appUrl) throws Exception {
        fixture.idp.nextUser("alice", "alice@example.com", List.of("family"), 3600);
        Answer first = client.get(check("/?uri=" + uri(appUrl)), traefik(appUrl));
        assertThat(first.status()).isEqualTo(302);
        assertThat(first.location()).startsWith(fixture.url("authenticate", "/.pomerium/sign_in?"));
        // The browser follows to the authenticate host and the provider, and comes back with a hand-off.
        String next = first.location();
        String handoff = null;
        for (int hop = 0; hop < 6 && handoff == null; hop++) {
            Answer answer = client.get(next);
            next = URI.create(next).resolve(answer.location()).toString();
            if (next.contains("/.pomerium/callback/")) {
                handoff = next;
            }
        }
        assertThat(handoff).startsWith(URI.create(appUrl).resolve("/.pomerium/callback/").toString());
        // Traefik asks about the hand-off URL (its fixed ?uri= still names the app's root).
        Answer callback = client.get(check("/?uri=" + uri(appUrl)), traefik(handoff));
        assertThat(callback.status()).isEqualTo(302);
        assertThat(callback.location()).isEqualTo(appUrl);
        String cookie = callback.headers("set-cookie").stream().filter(c -> c.startsWith("_pomerium="))
                .findFirst().orElseThrow();
        return cookie.substring("_pomerium=".length(), cookie.indexOf(';'));
    }

    @Test
    void traefikWithAFixedUriSignsInAndThenPassesWithIdentityHeaders() throws Exception {
        String app = fixture.url("app", "/");
        String cookie = signInThroughTraefik(app);

        Answer allowed = client.get(check("/?uri=" + uri(app)), traefik(app, "Cookie", "_pomerium=" + cookie));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("X-Pomerium-Jwt-Assertion")).isPresent();
        assertThat(allowed.header("X-Pomerium-Claim-Email")).contains("alice@example.com");
        assertThat(allowed.header("Remote-User")).contains("alice@example.com");
        assertThat(allowed.header("Remote-Email")).contains("alice@example.com");
        assertThat(allowed.header("Remote-Groups")).contains("family");
        assertThat(allowed.header("X-Auth-Request-Email")).contains("alice@example.com");
        assertThat(allowed.header("traceparent")).contains("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(allowed.body()).isEmpty();
        assertThat(fixture.upstream.requests()).as("forward-auth never forwards").isEmpty();
    }

    @Test
    void traefikWithoutUriRebuildsTheUrlFromItsHeaders() throws Exception {
        String app = fixture.url("app", "/dashboard?tab=1");
        Answer answer = client.get(check("/"), traefik(app));
        assertThat(answer.status()).isEqualTo(302);
        String signIn = java.net.URLDecoder.decode(answer.location(), StandardCharsets.UTF_8);
        assertThat(signIn).contains("pomerium_redirect_uri=" + app);
    }

    @Test
    void verifyAnswers401ThenAllows() throws Exception {
        String app = fixture.url("app", "/");
        Answer stranger = client.get(check("/verify?uri=" + uri(app)), "X-Forwarded-For", "192.0.2.10");
        assertThat(stranger.status()).isEqualTo(401);
        assertThat(JSON.readTree(stranger.body()).get("sign_in_url").asText()).contains("/.pomerium/sign_in");

        String cookie = signInThroughTraefik(app);
        Answer allowed = client.get(check("/verify?uri=" + uri(app)), "Cookie", "_pomerium=" + cookie);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("X-Pomerium-Jwt-Assertion")).isPresent();

        Answer tampered = client.get(check("/verify?uri=" + uri(app)), "Cookie", "_pomerium=" + cookie.substring(1));
        assertThat(tampered.status()).isEqualTo(401);
    }

    @Test
    void aSignedInUserThePolicyRefusesGets403WithTheSamePage() throws Exception {
        String app = fixture.url("app", "/");
        fixture.idp.nextUser("bob", "bob@example.com", List.of(), 3600);
        Answer first = client.get(check("/?uri=" + uri(app)), traefik(app));
        String next = first.location();
        String handoff = null;
        for (int hop = 0; hop < 6 && handoff == null; hop++) {
            Answer answer = client.get(next);
            next = URI.create(next).resolve(answer.location()).toString();
            handoff = next.contains("/.pomerium/callback/") ? next : null;
        }
        Answer callback = client.get(check("/"), traefik(handoff));
        String cookie = callback.headers("set-cookie").get(0);
        cookie = cookie.substring(0, cookie.indexOf(';'));
        Answer refused = client.get(check("/"), traefik(app, "Cookie", cookie));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("bob@example.com").contains("email-unauthorized");
    }

    @Test
    void nginxAsksWithXOriginalUrl() throws Exception {
        Answer publicPage = client.get(check("/verify"), "X-Original-Url", fixture.url("paths", "/public/page"),
                "X-Forwarded-For", "192.0.2.10");
        assertThat(publicPage.status()).isEqualTo(200);
        Answer admin = client.get(check("/verify"), "X-Original-Url", fixture.url("paths", "/admin"),
                "X-Forwarded-For", "192.0.2.10");
        assertThat(admin.status()).isEqualTo(401);
    }

    @Test
    void thePathIsNormalisedExactlyAsInProxyMode() throws Exception {
        for (String path : List.of("/public/../admin", "/public/%2e%2e/admin", "/public/%2E%2E/admin", "//admin",
                "/admin#/public")) {
            Answer answer = client.get(check("/verify?uri=" + uri(fixture.url("paths", path))), "X-Forwarded-For", "192.0.2.10");
            assertThat(answer.status()).as(path).isEqualTo(401);
            Answer viaHeaders = client.get(check("/verify"), "X-Forwarded-Proto", "http",
                    "X-Forwarded-Host", "paths.test:" + fixture.port, "X-Forwarded-Uri", path, "X-Forwarded-For", "192.0.2.10");
            assertThat(viaHeaders.status()).as("X-Forwarded-Uri " + path).isEqualTo(401);
        }
        // What proxy mode refuses is refused here, however the URL is named. Path parameters, for instance, are cut
        // off by servlet containers ("/admin;/public" is /admin to them).
        for (String path : List.of("/public/..%2Fadmin", "/public\\..\\admin", "/admin;/public", "/public/..;/admin",
                "/%2fadmin", "/public/..%3B/admin", "/%252fadmin", "/%c0%ae%c0%ae/admin", "/a%00")) {
            Answer answer = client.get(check("/verify"), "X-Forwarded-Proto", "http",
                    "X-Forwarded-Host", "paths.test:" + fixture.port, "X-Forwarded-Uri", path, "X-Forwarded-For", "192.0.2.10");
            assertThat(answer.status()).as("X-Forwarded-Uri " + path).isEqualTo(400);
            Answer encoded = client.get(check("/verify?uri=" + uri(fixture.url("paths", path))), "X-Forwarded-For", "192.0.2.10");
            assertThat(encoded.status()).as("?uri= " + path).isEqualTo(400);
            Answer original = client.get(check("/verify"), "X-Original-Url", fixture.url("paths", path),
                    "X-Forwarded-For", "192.0.2.10");
            assertThat(original.status()).as("X-Original-Url " + path).isEqualTo(400);
        }
        Answer allowed = client.get(check("/verify?uri=" + uri(fixture.url("paths", "/public/./page"))));
        assertThat(allowed.status()).isEqualTo(200);
    }

    @Test
    void anUnencodedUriIsReadAsTheFrontProxyWroteIt() throws Exception {
        // nginx's "?uri=$scheme://$http_host$request_uri" does not encode the client's path: decoding it once more
        // would turn its %23 or %3F into the end of the path, while the application climbs to /admin.
        for (String path : List.of("/public%23/../../admin", "/public%3F/../../admin", "/public%3f/../../admin")) {
            Answer answer = client.get(check("/verify?uri=" + fixture.url("paths", path)), "X-Forwarded-For", "192.0.2.10");
            assertThat(answer.status()).as(path).isEqualTo(401);
        }
        assertThat(client.get(check("/verify?uri=" + fixture.url("paths", "/public/a+b"))).status()).isEqualTo(200);
        assertThat(client.get(check("/verify?uri=" + uri(fixture.url("paths", "/public/a+b")))).status()).isEqualTo(200);
    }

    @Test
    void onlyTheCanonicalCallbackPathCountsAsAHandoff() throws Exception {
        // X-Forwarded-Uri is looked at for a hand-off even from an untrusted peer: a path that merely starts like the
        // callback must not replace the URL being checked.
        Answer answer = client.get(check("/verify?uri=" + uri(fixture.url("paths", "/admin"))),
                "X-Forwarded-Uri", "/.pomerium/callback/../../public/page");
        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void theMethodAskedAboutIsACaseSensitiveToken() throws Exception {
        String publicPage = fixture.url("paths", "/public/page");
        for (String method : List.of("delete", "Delete", "GET /", "GET;")) {
            Answer answer = client.get(check("/verify?uri=" + uri(publicPage)), "X-Forwarded-Method", method,
                    "X-Forwarded-For", "192.0.2.10");
            assertThat(answer.status()).as(method).isEqualTo(400);
        }
        assertThat(client.get(check("/verify?uri=" + uri(publicPage)), "X-Forwarded-Method", "DELETE",
                "X-Forwarded-For", "192.0.2.10").status()).isEqualTo(200);
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreNotBelieved() throws Exception {
        // No X-Forwarded-For: the peer is not behind the one trusted front proxy, so nothing forwarded is believed.
        Answer answer = client.get(check("/verify"), "X-Forwarded-Proto", "http",
                "X-Forwarded-Host", "paths.test:" + fixture.port, "X-Forwarded-Uri", "/public/page");
        assertThat(answer.status()).isEqualTo(400);
        Answer nginxShape = client.get(check("/verify"), "X-Original-Url", fixture.url("paths", "/public/page"));
        assertThat(nginxShape.status()).isEqualTo(400);
        assertThat(client.get(check("/elsewhere")).status()).isEqualTo(404);
    }

    @Test
    void aRouteWithoutToIsNotServedInProxyMode() throws Exception {
        assertThat(client.get(fixture.url("paths", "/public/page")).status()).isEqualTo(404);
        assertThat(client.get(check("/verify?uri=" + uri(fixture.url("paths", "/public/page")))).status()).isEqualTo(200);
    }

    @Test
    void aClientCannotChooseWhatIsCheckedThroughTheQueryAFrontProxyPassesOn() throws Exception {
        // Caddy's forward_auth appends the client's query to the check: /verify?uri=<public page>.
        String publicPage = fixture.url("paths", "/public/page");
        Answer answer = client.get(check("/verify?uri=" + uri(publicPage)), "X-Forwarded-Proto", "http",
                "X-Forwarded-Host", "paths.test:" + fixture.port, "X-Forwarded-Uri", "/admin?uri=" + uri(publicPage),
                "X-Forwarded-For", "192.0.2.10");
        assertThat(answer.status()).as("/admin is what the client asked for").isEqualTo(401);
        // A uri naming another host than the trusted X-Forwarded-Host is refused.
        Answer otherHost = client.get(check("/verify?uri=" + uri(fixture.url("public", "/"))), "X-Forwarded-Proto", "http",
                "X-Forwarded-Host", "paths.test:" + fixture.port, "X-Forwarded-Uri", "/admin", "X-Forwarded-For", "192.0.2.10");
        assertThat(otherHost.status()).isEqualTo(400);
    }

    @Test
    void aHostThatIsNoRouteIsNotFound() throws Exception {
        Answer answer = client.get(check("/verify?uri=" + uri("http://unknown.test:" + fixture.port + "/")));
        assertThat(answer.status()).isEqualTo(404);
    }

    /** The headers Caddy's plain forward_auth sends (with the application's Host kept) for a request to {@code uri} on {@code host}. */
    private String[] caddy(String host, String uri, String... more) {
        List<String> headers = new ArrayList<>(List.of("X-Forwarded-Method", "GET", "X-Forwarded-Uri", uri,
                "X-Forwarded-Proto", "http", "X-Forwarded-Host", fixture.authority(host), "X-Forwarded-For", "192.0.2.10"));
        headers.addAll(List.of(more));
        return headers.toArray(String[]::new);
    }

    @Test
    void aCheckWithTheApplicationsHostIsAnsweredWhereNothingIsForwarded() throws Exception {
        Answer publicPage = client.get(fixture.url("paths", "/"), caddy("paths", "/public/page"));
        assertThat(publicPage.status()).isEqualTo(200);
        assertThat(publicPage.body()).isEmpty();
        Answer admin = client.get(fixture.url("paths", "/"), caddy("paths", "/admin"));
        assertThat(admin.status()).as("a browser is sent to sign in").isEqualTo(302);
        assertThat(java.net.URLDecoder.decode(admin.location(), StandardCharsets.UTF_8))
                .contains("pomerium_redirect_uri=" + fixture.url("paths", "/admin"));
        Answer verify = client.get(fixture.url("paths", "/verify"), caddy("paths", "/admin"));
        assertThat(verify.status()).isEqualTo(401);
        assertThat(verify.location()).as("nginx's error_page 401 =302 $location").startsWith(fixture.url("authenticate", "/.pomerium/sign_in?"));
        assertThat(client.get(fixture.url("paths", "/other"), caddy("paths", "/public/page")).status()).isEqualTo(404);
        // ?uri= is the client's own query there, never what is checked; nor is another host.
        assertThat(client.get(fixture.url("paths", "/?uri=" + uri(fixture.url("paths", "/public/page"))), caddy("paths", "/admin"))
                .status()).isEqualTo(302);
        assertThat(client.get(fixture.url("paths", "/"), caddy("public", "/")).status()).isEqualTo(400);
        // The checked path is judged in its canonical form, and one that could be read two ways is refused.
        for (String path : List.of("/public/../admin", "/public/%2e%2e/admin", "//admin")) {
            assertThat(client.get(fixture.url("paths", "/verify"), caddy("paths", path)).status()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/public/..%2Fadmin", "/admin;/public", "/public/..;/admin", "/%252fadmin")) {
            assertThat(client.get(fixture.url("paths", "/verify"), caddy("paths", path)).status()).as(path).isEqualTo(400);
        }
        assertThat(client.get(fixture.url("paths", "/verify"), caddy("paths", "/public/page", "X-Forwarded-Method", "delete"))
                .status()).isEqualTo(400);
        assertThat(fixture.upstream.requests()).as("a check never forwards").isEmpty();
    }

    @Test
    void withoutTheTrustedHopTheCheckNamesNothingAndIsRefused() throws Exception {
        Answer answer = client.get(fixture.url("paths", "/"), "X-Forwarded-Uri", "/public/page",
                "X-Forwarded-Host", fixture.authority("paths"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(client.get(fixture.url("paths", "/public/page")).status()).as("without a check's headers").isEqualTo(404);
    }

    @Test
    void aRouteWithToKeepsForwardingWhateverForwardedHeadersTheRequestCarries() throws Exception {
        Answer answer = client.get(fixture.url("public", "/page"), caddy("public", "/other"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(fixture.upstream.lastRequest().rawPath()).isEqualTo("/page");
        Answer app = client.get(fixture.url("app", "/"), caddy("app", "/"));
        assertThat(app.status()).as("proxy mode: a stranger is sent to sign in, no check").isEqualTo(302);
        assertThat(app.header("X-Pomerium-Jwt-Assertion")).isEmpty();
    }

    @Test
    void everyConfiguredIdentityHeaderIsOnEveryAllowedAnswerEmptyWhenMissing() throws Exception {
        List<String> names = List.of("X-Pomerium-Jwt-Assertion", "X-Pomerium-Claim-Email", "X-Pomerium-Claim-Groups",
                "Remote-User", "Remote-Email", "Remote-Groups", "Remote-Name", "X-Auth-Request-User",
                "X-Auth-Request-Email", "X-Auth-Request-Groups");
        Answer anonymous = client.get(check("/verify?uri=" + uri(fixture.url("paths", "/public/page"))));
        assertThat(anonymous.status()).isEqualTo(200);
        for (String name : names) {
            assertThat(anonymous.headers(name)).as(name).containsExactly("");
        }
        String app = fixture.url("app", "/");
        String cookie = signInThroughTraefik(app);
        Answer alice = client.get(check("/verify?uri=" + uri(fixture.url("paths", "/public/page"))), "Cookie", "_pomerium=" + cookie);
        for (String name : names) {
            assertThat(alice.headers(name)).as(name).hasSize(1).allSatisfy(value -> assertThat(value).isNotEmpty());
        }
    }

    @Test
    void theProxysOwnPagesAskedAboutThroughForwardAuthAreNoPass() throws Exception {
        // A 2xx would let the front proxy forward the request to the application, unchecked.
        Answer keySet = client.get(check("/"), traefik(fixture.url("paths", "/.well-known/pomerium/jwks.json")));
        assertThat(keySet.status()).isEqualTo(404);
        Answer onRouteHost = client.get(fixture.url("paths", "/"), caddy("paths", "/.well-known/pomerium/jwks.json"));
        assertThat(onRouteHost.status()).isEqualTo(404);
        assertThat(client.get(fixture.url("paths", "/.well-known/pomerium/jwks.json")).status()).as("asked directly").isEqualTo(200);
    }

    @Test
    void onAHostWhereSomethingIsForwardedNothingBecomesACheck() throws Exception {
        Answer forwarded = client.get(fixture.url("mixed", "/page"), caddy("mixed", "/checked/x"));
        assertThat(forwarded.status()).isEqualTo(200);
        assertThat(mixed.lastRequest().rawPath()).isEqualTo("/page");
        Answer root = client.get(fixture.url("mixed", "/"), caddy("mixed", "/checked/x"));
        assertThat(root.status()).isEqualTo(200);
        assertThat(mixed.lastRequest().rawPath()).as("proxied as itself, not answered as a check").isEqualTo("/");
        assertThat(client.get(fixture.url("mixed", "/checked/x"), caddy("mixed", "/checked/x")).status())
                .as("the check-only route is not served in proxy mode").isEqualTo(404);
    }
}
