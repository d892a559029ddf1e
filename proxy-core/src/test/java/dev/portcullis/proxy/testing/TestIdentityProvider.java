package dev.portcullis.proxy.testing;

import com.nimbusds.jose.JOSEObjectType;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real OpenID Connect provider in-process (mock-oauth2-server) with one issuer, signing in
 * whoever the test names next, and counting what the proxy asked of it.
 */
public final class TestIdentityProvider implements AutoCloseable {
    public static final String ISSUER = "test";
    public static final String CLIENT_ID = "portcullis-test";
    public static final String CLIENT_SECRET = "client-secret-not-to-be-logged";

    private final MockOAuth2Server server = new MockOAuth2Server();
    private final List<RecordedRequest> seen = new ArrayList<>();

    public TestIdentityProvider() {
        server.start();
    }

    /** The issuer URL, i.e. {@code idp_provider_url}. */
    public String issuerUrl() {
        return server.issuerUrl(ISSUER).toString().replaceAll("/$", "");
    }

    /** The next sign-in (or refresh) is {@code email}, with {@code groups}, tokens valid for {@code lifetimeSeconds}. */
    public void nextUser(String subject, String email, List<String> groups, long lifetimeSeconds) {
        nextUser(subject, email, groups, lifetimeSeconds, CLIENT_ID);
    }

    /** As {@link #nextUser(String, String, List, long)}, with an ID token for the OAuth client {@code clientId}. */
    public void nextUser(String subject, String email, List<String> groups, long lifetimeSeconds, String clientId) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("email", email);
        claims.put("name", subject.substring(0, 1).toUpperCase() + subject.substring(1));
        claims.put("groups", groups);
        claims.put("sid", "idp-session-" + subject);
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, subject, JOSEObjectType.JWT.getType(),
                List.of(clientId), claims, lifetimeSeconds));
    }

    /** A JWT signed by the provider's key, e.g. a back-channel logout token. */
    public String signedToken(String subject, Map<String, Object> claims) {
        return signedToken(subject, claims, CLIENT_ID);
    }

    /** As {@link #signedToken(String, Map)}, addressed to the OAuth client {@code clientId}. */
    public String signedToken(String subject, Map<String, Object> claims, String clientId) {
        return server.issueToken(ISSUER, clientId, new DefaultOAuth2TokenCallback(ISSUER, subject,
                "logout+jwt", List.of(clientId), claims, 120)).serialize();
    }

    /** The requests the provider received so far whose path ends with {@code pathSuffix} (e.g. {@code /token}). */
    public synchronized List<RecordedRequest> requests(String pathSuffix) {
        while (true) {
            RecordedRequest next;
            try {
                next = server.takeRequest(10, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                next = null; // nothing arrived within the wait
            }
            if (next == null) {
                break;
            }
            seen.add(next);
        }
        return seen.stream().filter(r -> r.getPath() != null && r.getPath().split("\\?")[0].endsWith(pathSuffix)).toList();
    }

    /** Token requests with {@code grant_type=refresh_token} so far. */
    public long refreshCalls() {
        return requests("/token").stream().filter(r -> r.getBody().clone().readUtf8().contains("grant_type=refresh_token")).count();
    }

    public void stop() {
        server.shutdown();
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (RuntimeException | Error e) {
            // already stopped
        }
    }

    /** A port free right now, for a proxy whose URLs must name their own port. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
