package dev.portcullis.authn.session;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the session cookie is written: the {@code cookie_*} options of COMPAT.md as plain values.
 * Everything is checked here, because each value ends up inside a {@code Set-Cookie} header and
 * must not be able to inject attributes.
 *
 * @param name     {@code cookie_name}, default {@code _pomerium}; an RFC 6265 token
 * @param domain   {@code cookie_domain}; empty means a host-only cookie (the default)
 * @param secure   {@code cookie_secure}, default true; forced on by {@link SameSite#NONE}
 * @param httpOnly {@code cookie_http_only}, default true
 * @param sameSite {@code cookie_same_site}, default {@link SameSite#LAX}
 * @param expire   {@code cookie_expire}, default 14 hours: the cookie's Max-Age
 */
public record CookieSettings(
        String name, Optional<String> domain, boolean secure, boolean httpOnly, SameSite sameSite,
        Duration expire) {

    /** The default {@code cookie_name}. */
    public static final String DEFAULT_NAME = "_pomerium";
    /** The default {@code cookie_expire}. */
    public static final Duration DEFAULT_EXPIRE = Duration.ofHours(14);

    // RFC 6265 §4.1.1 cookie-name = token (RFC 2616 §2.2): visible ASCII except separators.
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");
    private static final Pattern DOMAIN = Pattern.compile(
            "\\.?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** Checks every value; see the record's documentation. */
    public CookieSettings {
        requireNonNull(name, "name");
        requireNonNull(domain, "domain");
        requireNonNull(sameSite, "sameSite");
        requireNonNull(expire, "expire");
        if (!TOKEN.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "cookie_name: " + name + " (expected: letters, digits and !#$%&'*+-.^_`|~)");
        }
        if (domain.isPresent() && (domain.get().length() > 253 || !DOMAIN.matcher(domain.get()).matches())) {
            throw new IllegalArgumentException(
                    "cookie_domain: " + domain.get() + " (expected: a DNS name such as example.com)");
        }
        if (expire.isNegative() || expire.isZero() || expire.toSeconds() == 0) {
            throw new IllegalArgumentException("cookie_expire: " + expire + " (expected: >= 1s)");
        }
    }

    /** The defaults: {@code _pomerium}, host-only, Secure, HttpOnly, SameSite=Lax, 14 hours. */
    public static CookieSettings defaults() {
        return new CookieSettings(DEFAULT_NAME, Optional.empty(), true, true, SameSite.LAX,
                DEFAULT_EXPIRE);
    }

    /** The same settings under another cookie name (e.g. {@link #authenticateCookieName()}). */
    public CookieSettings withName(String otherName) {
        return new CookieSettings(otherName, domain, secure, httpOnly, sameSite, expire);
    }

    /** Whether {@code Secure} is written: when asked for, and always with SameSite=None. */
    public boolean writesSecure() {
        return secure || sameSite == SameSite.NONE;
    }

    /** The authenticate service's cookie: {@code <name>_authenticate}, as in Pomerium. */
    public String authenticateCookieName() {
        return name + "_authenticate";
    }

    /** The CSRF cookie of the sign-in flow: {@code <name>_csrf}, as in Pomerium. */
    public String csrfCookieName() {
        return name + "_csrf";
    }

    /** The proxy's own cookie names, for {@link SessionCookies#stripOwnCookies}. */
    public Set<String> ownCookieNames() {
        return Set.of(name, authenticateCookieName(), csrfCookieName());
    }
}
