package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.http.ProxyCredentials;
import dev.portcullis.proxy.portal.OpenableRoutes;
import dev.portcullis.proxy.route.RequestHost;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request to one of the proxy's own sign-in endpoints: what the endpoint may look at.
 *
 * @param requestId the id shown on pages and in the log
 * @param method    the request method
 * @param path      the normalised path
 * @param query     the raw query, without {@code ?}, or empty
 * @param host      the host the request was made to
 * @param accept    {@code Accept}, or null
 * @param referer   {@code Referer}, when sent
 * @param origin    {@code Origin}, when sent: what the passkey pages' changes are checked against (CSRF)
 * @param fetchSite {@code Sec-Fetch-Site}, when sent (a header no script can set)
 * @param credentials the proxy's own cookies and authorization the request carried
 * @param body      a form body (at most a few KiB, read only for POST), or empty
 * @param clientAddress the client's IP address (the peer, or the entry a trusted front proxy added)
 * @param openableRoutes the routes the request's person may open, for the routes portal
 */
public record EndpointRequest(String requestId, String method, String path, Optional<String> query, RequestHost host,
        String accept, Optional<String> referer, Optional<String> origin, Optional<String> fetchSite,
        ProxyCredentials credentials, String body,
        String clientAddress,
        OpenableRoutes openableRoutes) {
    public EndpointRequest {
        requireNonNull(requestId, "requestId");
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        requireNonNull(query, "query");
        requireNonNull(referer, "referer");
        requireNonNull(origin, "origin");
        requireNonNull(fetchSite, "fetchSite");
        requireNonNull(host, "host");
        requireNonNull(credentials, "credentials");
        requireNonNull(body, "body");
        requireNonNull(clientAddress, "clientAddress");
        requireNonNull(openableRoutes, "openableRoutes");
    }

    /**
     * The value of query parameter {@code name}, or empty when absent.
     *
     * @throws MalformedEndpointRequest when the query is malformed or names {@code name} more than once
     */
    public Optional<String> parameter(String name) {
        return only(decode(query.orElse(""), "query string"), name, "query parameter");
    }

    /**
     * The value of form field {@code name} ({@code application/x-www-form-urlencoded} body), or empty.
     *
     * @throws MalformedEndpointRequest when the form is malformed or holds {@code name} more than once
     */
    public Optional<String> formField(String name) {
        return only(decode(body, "form"), name, "form field");
    }

    /** The proxy's cookies the request carried, as {@code Cookie} header values. */
    public List<String> cookies() {
        return credentials.cookieHeaders();
    }

    /** A browser: it asks for HTML first, or says nothing about what it accepts. */
    public boolean isBrowser() {
        return BrowserRequests.isBrowser(accept());
    }

    private static Map<String, List<String>> decode(String encoded, String what) {
        try {
            return new QueryStringDecoder(encoded, StandardCharsets.UTF_8, false).parameters();
        } catch (IllegalArgumentException e) {
            throw new MalformedEndpointRequest("the " + what + " has a malformed % escape");
        }
    }

    /** One value, since two (which one would a check have read?) could let one pass and the other be used. */
    private static Optional<String> only(Map<String, List<String>> parameters, String name, String what) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw new MalformedEndpointRequest("the " + what + " " + name + " is given " + values.size() + " times");
        }
        return Optional.of(values.get(0));
    }
}
