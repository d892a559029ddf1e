package dev.portcullis.authn.session;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes {@code Set-Cookie} header values (RFC 6265 §4.1): {@code name=value; Path=/; Domain=…;
 * Max-Age=…; Expires=…; Secure; HttpOnly; SameSite=…}. Max-Age is what current browsers obey;
 * Expires is there for old ones. Path is always {@code /}: the session belongs to the whole host.
 */
final class SetCookieHeader {

    // RFC 6265 §4.1.1 sane-cookie-date is an IMF-fixdate with a two-digit day (RFC 7231 §7.1.1.1);
    // DateTimeFormatter.RFC_1123_DATE_TIME would write single-digit days.
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Instant EPOCH = Instant.EPOCH;

    private SetCookieHeader() {
    }

    /** A cookie that lives for the settings' {@code expire} from {@code now}. */
    static String live(String name, String value, CookieSettings settings, Instant now) {
        return name + "=" + value + attributes(settings, now);
    }

    /** The attributes of {@link #live} (from {@code "; Path=/"} on), to measure a cookie's size. */
    static String attributes(CookieSettings settings, Instant now) {
        Duration expire = settings.expire();
        return attributes(settings, expire.toSeconds(), now.plus(expire));
    }

    /** A header that makes the browser drop the cookie (Max-Age=0, Expires in 1970). */
    static String expired(String name, CookieSettings settings) {
        return name + "=" + attributes(settings, 0, EPOCH);
    }

    private static String attributes(CookieSettings settings, long maxAgeSeconds, Instant expires) {
        StringBuilder header = new StringBuilder("; Path=/");
        settings.domain().ifPresent(domain -> header.append("; Domain=").append(domain));
        header.append("; Max-Age=").append(maxAgeSeconds);
        header.append("; Expires=").append(IMF_FIXDATE.format(expires));
        if (settings.writesSecure()) {
            header.append("; Secure");
        }
        if (settings.httpOnly()) {
            header.append("; HttpOnly");
        }
        header.append("; SameSite=").append(settings.sameSite().attributeValue());
        return header.toString();
    }
}
