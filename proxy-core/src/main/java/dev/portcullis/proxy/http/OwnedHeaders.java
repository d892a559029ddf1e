package dev.portcullis.proxy.http;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.SessionCookies;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The request headers that belong to the proxy, which no client may send past it: the headers it
 * sets for upstreams or believes about a request, and its own credentials.
 *
 * <ul>
 *   <li>every {@code X-Pomerium-*} (the assertion, claim headers, {@code X-Pomerium-Authorization}),
 *       {@code Remote-*} and {@code X-Auth-Request-*} (the identity headers of forward-auth answers,
 *       which applications behind Authelia or oauth2-proxy setups read), every {@code X-Forwarded-*},
 *       {@code Forwarded}, {@code X-Real-Ip}, {@code X-Original-Url} (believed only as
 *       {@link ForwardedHeaders} decides, before they are removed) and {@code X-Request-Id};</li>
 *   <li>each header name {@code jwt_claims_headers} maps a claim to ({@code X-Email});</li>
 *   <li>the proxy's cookies and its {@code Authorization} schemes, which are taken out into
 *       {@link ProxyCredentials} for the session to be read from.</li>
 * </ul>
 *
 * Names are compared by their {@link HeaderSpelling spelling}: {@code x_pomerium_claim_email} and
 * {@code X.Auth.Request.User} are removed too, since CGI, WSGI, PHP and Rack servers give them to
 * applications under the same name as the real header.
 */
public final class OwnedHeaders {
    private static final List<String> OWNED_PREFIXES = List.of("x-pomerium-", "x-forwarded-", "remote-",
            "x-auth-request-");
    private static final List<String> OWNED_NAMES = List.of("forwarded", "x-real-ip", "x-original-url",
            "x-request-id");

    private final String[] names;
    private final Set<String> ownCookieNames;

    /**
     * @param claimHeaderNames the header names {@code jwt_claims_headers} maps claims to
     * @param ownCookieNames   the proxy's cookie names (chunks {@code <name>_<n>} included by rule)
     */
    public OwnedHeaders(Collection<String> claimHeaderNames, Set<String> ownCookieNames) {
        Set<String> spellings = new LinkedHashSet<>(OWNED_NAMES);
        claimHeaderNames.forEach(name -> spellings.add(HeaderSpelling.of(name)));
        spellings.removeIf(spelling -> OWNED_PREFIXES.stream().anyMatch(spelling::startsWith));
        // A claim mapped onto Cookie or Authorization must not cost the proxy its credentials.
        spellings.remove("cookie");
        spellings.remove("authorization");
        this.names = spellings.toArray(String[]::new);
        this.ownCookieNames = Set.copyOf(requireNonNull(ownCookieNames, "ownCookieNames"));
    }

    /**
     * Removes every owned header from {@code headers} and returns the proxy's credentials that were
     * among them. Afterwards no header in {@code headers} is spelled like an owned one.
     */
    public ProxyCredentials removeFrom(HttpHeaders headers) {
        List<String> doomed = null;
        boolean cookies = false;
        boolean authorization = false;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (isOwned(name)) {
                if (doomed == null) {
                    doomed = new ArrayList<>(4);
                }
                doomed.add(name);
            } else if (HttpHeaderNames.COOKIE.contentEqualsIgnoreCase(name)) {
                cookies = true;
            } else if (HttpHeaderNames.AUTHORIZATION.contentEqualsIgnoreCase(name)) {
                authorization = true;
            }
        }
        if (doomed != null) {
            doomed.forEach(headers::remove);
        }
        if (!cookies && !authorization) {
            return ProxyCredentials.NONE;
        }
        return new ProxyCredentials(cookies ? takeOwnCookies(headers) : List.of(),
                authorization ? takeAuthorization(headers) : Optional.empty());
    }

    private boolean isOwned(String name) {
        for (String prefix : OWNED_PREFIXES) {
            if (HeaderSpelling.startsWith(name, prefix)) {
                return true;
            }
        }
        for (String owned : names) {
            if (HeaderSpelling.is(name, owned)) {
                return true;
            }
        }
        return false;
    }

    /** Takes the proxy's cookies out of the {@code Cookie} headers; the others stay for the upstream. */
    private List<String> takeOwnCookies(HttpHeaders headers) {
        List<String> own = new ArrayList<>(1);
        List<String> others = new ArrayList<>(1);
        for (String value : headers.getAll(HttpHeaderNames.COOKIE)) {
            SessionCookies.Separated separated = SessionCookies.separateOwnCookies(value, ownCookieNames);
            if (!separated.own().isEmpty()) {
                own.add(separated.own());
            }
            if (!separated.others().isEmpty()) {
                others.add(separated.others());
            }
        }
        if (own.isEmpty()) {
            return List.of();
        }
        headers.remove(HttpHeaderNames.COOKIE);
        if (!others.isEmpty()) {
            headers.set(HttpHeaderNames.COOKIE, String.join("; ", others));
        }
        return own;
    }

    /** Takes an {@code Authorization} value in one of the proxy's schemes; others stay for the upstream. */
    private static Optional<String> takeAuthorization(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.AUTHORIZATION);
        Optional<String> taken = values.stream().filter(ProxyCredentials::isProxyAuthorization).findFirst();
        if (taken.isPresent()) {
            headers.remove(HttpHeaderNames.AUTHORIZATION);
            values.stream().filter(value -> !ProxyCredentials.isProxyAuthorization(value))
                    .forEach(value -> headers.add(HttpHeaderNames.AUTHORIZATION, value));
        }
        return taken;
    }
}
