package dev.portcullis.proxy.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The proxy's own credentials a request carried, taken out of its headers at the trust boundary so
 * that no upstream ever receives them: the proxy's cookies (the route session cookie and its chunks,
 * the authenticate host's and the sign-in attempt's cookies) and an {@code Authorization} header in
 * one of the proxy's schemes ({@code Bearer Pomerium-…}, {@code Pomerium …}).
 *
 * @param cookieHeaders the proxy's cookies, as {@code Cookie} header values holding only them
 * @param authorization the {@code Authorization} value when it is one of the proxy's, else empty
 */
public record ProxyCredentials(List<String> cookieHeaders, Optional<String> authorization) {
    /** A request that carried none. */
    public static final ProxyCredentials NONE = new ProxyCredentials(List.of(), Optional.empty());

    /** The scheme scripts use: {@code Authorization: Bearer Pomerium-<sealed session>}. */
    public static final String BEARER_PREFIX = "Bearer Pomerium-";
    /** Pomerium's older scheme: {@code Authorization: Pomerium <sealed session>}. */
    public static final String POMERIUM_PREFIX = "Pomerium ";

    public ProxyCredentials {
        cookieHeaders = List.copyOf(cookieHeaders);
        requireNonNull(authorization, "authorization");
    }

    /** Whether {@code value} is an {@code Authorization} header in one of the proxy's schemes. */
    public static boolean isProxyAuthorization(String value) {
        return value.startsWith(BEARER_PREFIX) || value.startsWith(POMERIUM_PREFIX);
    }

    /** The proxy's cookies as one {@code Cookie} header value ({@code ""} when none). */
    public String cookieHeader() {
        return cookieHeaders.size() == 1 ? cookieHeaders.get(0) : String.join("; ", cookieHeaders);
    }

    public boolean isEmpty() {
        return cookieHeaders.isEmpty() && authorization.isEmpty();
    }
}
