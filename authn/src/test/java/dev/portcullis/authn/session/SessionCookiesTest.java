package dev.portcullis.authn.session;

import static dev.portcullis.authn.session.Sessions.NOW;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SessionCookiesTest {

    private static final CookieSettings DEFAULTS = CookieSettings.defaults();
    private final SessionSealer sealer = new SessionSealer(Sessions.secret());

    @Test
    void aSmallSessionIsOneCookieWithEveryDefaultAttribute() {
        String sealed = sealer.seal(Sessions.alice(), Purpose.ROUTE_SESSION);
        List<String> headers = SessionCookies.setCookieHeaders(sealed, DEFAULTS, NOW);

        assertThat(headers.get(0)).isEqualTo("_pomerium=" + sealed
                + "; Path=/; Max-Age=50400; Expires=Sun, 02 Mar 2025 02:00:00 GMT; Secure; HttpOnly; SameSite=Lax");
        assertThat(SessionCookies.read(cookieHeaderFrom(headers), DEFAULTS)).contains(sealed);
    }

    @Test
    void writingASessionExpiresStaleChunkNames() {
        String sealed = sealer.seal(Sessions.bob(), Purpose.ROUTE_SESSION);
        List<String> headers = SessionCookies.setCookieHeaders(sealed, DEFAULTS, NOW);
        assertThat(headers).hasSize(SessionCookies.MAX_CHUNKS);
        assertThat(headers.subList(1, headers.size())).allSatisfy(header -> assertThat(header)
                .matches("_pomerium_[1-4]=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; .*"));
    }

    @Test
    void eachSettingShowsInTheAttributes() {
        String sealed = sealer.seal(Sessions.bob(), Purpose.ROUTE_SESSION);
        CookieSettings custom = new CookieSettings("_session", Optional.of("int.nas.example"), false,
                false, SameSite.STRICT, Duration.ofMinutes(30));
        assertThat(SessionCookies.setCookieHeaders(sealed, custom, NOW).get(0)).isEqualTo("_session="
                + sealed + "; Path=/; Domain=int.nas.example; Max-Age=1800;"
                + " Expires=Sat, 01 Mar 2025 12:30:00 GMT; SameSite=Strict");

        CookieSettings none = new CookieSettings("_pomerium", Optional.empty(), false, true,
                SameSite.NONE, Duration.ofHours(1));
        assertThat(SessionCookies.setCookieHeaders(sealed, none, NOW).get(0))
                .endsWith("; Max-Age=3600; Expires=Sat, 01 Mar 2025 13:00:00 GMT; Secure; HttpOnly; SameSite=None");
    }

    @Test
    void expiresUsesATwoDigitDay() {
        String sealed = sealer.seal(Sessions.bob(), Purpose.ROUTE_SESSION);
        CookieSettings day = DEFAULTS.withName("_pomerium");
        assertThat(SessionCookies.setCookieHeaders(sealed, day, NOW.plus(Duration.ofDays(3))).get(0))
                .contains("Expires=Wed, 05 Mar 2025 02:00:00 GMT");
    }

    @Test
    void aSessionWith200GroupsIsSplitIntoChunksUnderTheLimitAndJoinedBack() {
        Session carol = Sessions.withManyGroups(200);
        String sealed = sealer.seal(carol, Purpose.ROUTE_SESSION);
        CookieSettings withDomain = new CookieSettings("_pomerium", Optional.of("int.nas.example"),
                true, true, SameSite.NONE, Duration.ofHours(14));

        List<String> headers = SessionCookies.setCookieHeaders(sealed, withDomain, NOW);
        List<String> live = headers.stream().filter(h -> !h.contains("Max-Age=0;")).toList();

        assertThat(live.size()).isBetween(2, SessionCookies.MAX_CHUNKS);
        assertThat(live).allSatisfy(h -> assertThat(h.getBytes(UTF_8).length)
                .isLessThanOrEqualTo(SessionCookies.MAX_COOKIE_BYTES));
        assertThat(live.get(0)).startsWith("_pomerium=" + live.size() + "|eyJ");
        for (int i = 1; i < live.size(); i++) {
            assertThat(live.get(i)).startsWith("_pomerium_" + i + "=").contains("; Domain=int.nas.example;");
        }
        String joined = SessionCookies.read(cookieHeaderFrom(headers), withDomain).orElseThrow();
        assertThat(joined).isEqualTo(sealed);
        assertThat(sealer.unseal(joined, Purpose.ROUTE_SESSION, NOW)).contains(carol);
    }

    @Test
    void chunksMayArriveInAnyOrderAmongOtherCookiesAndInSeveralHeaders() {
        String sealed = sealer.seal(Sessions.withManyGroups(200), Purpose.ROUTE_SESSION);
        List<String> pairs = new ArrayList<>(pairsFrom(SessionCookies.setCookieHeaders(sealed, DEFAULTS, NOW)));
        java.util.Collections.reverse(pairs);
        pairs.add(1, "theme=dark");
        pairs.add(0, "_pomerium_csrf=abc");
        List<String> headers = List.of(String.join("; ", pairs.subList(0, 2)),
                "\t" + String.join(";", pairs.subList(2, pairs.size())) + " ;");
        assertThat(SessionCookies.read(headers, DEFAULTS)).contains(sealed);
    }

    @Test
    void aMissingOrExtraChunkReadsAsNoCookie() {
        String sealed = sealer.seal(Sessions.withManyGroups(200), Purpose.ROUTE_SESSION);
        List<String> pairs = pairsFrom(SessionCookies.setCookieHeaders(sealed, DEFAULTS, NOW));
        int count = pairs.size();

        for (int missing = 0; missing < count; missing++) {
            List<String> without = new ArrayList<>(pairs);
            without.remove(missing);
            assertThat(SessionCookies.read(String.join("; ", without), DEFAULTS)).isEmpty();
        }
        String extra = String.join("; ", pairs) + "; _pomerium_" + count + "=AAAA";
        assertThat(SessionCookies.read(extra, DEFAULTS)).isEmpty();
        String emptyChunk = String.join("; ", pairs).replaceFirst("_pomerium_1=[^;]*", "_pomerium_1=");
        assertThat(SessionCookies.read(emptyChunk, DEFAULTS)).isEmpty();

        String small = sealer.seal(Sessions.bob(), Purpose.ROUTE_SESSION);
        assertThat(SessionCookies.read("_pomerium=" + small + "; _pomerium_1=AAAA", DEFAULTS)).isEmpty();
    }

    @Test
    void aMalformedCountPrefixReadsAsNoCookie() {
        for (String value : List.of("1|abc", "0|abc", "9|abc", "x|abc", "22|abc", "|abc", "2|", "")) {
            assertThat(SessionCookies.read("_pomerium=" + value + "; _pomerium_1=def", DEFAULTS))
                    .as(value).isEmpty();
        }
    }

    @Test
    void readingToleratesQuotesUnrelatedCookiesAndLookalikeNames() {
        assertThat(SessionCookies.read("a=1; _pomerium=\"abc.def\"; b=2", DEFAULTS)).contains("abc.def");
        assertThat(SessionCookies.read("_pomerium_authenticate=x; _pomeriumx=y; flag", DEFAULTS)).isEmpty();
        assertThat(SessionCookies.read("_pomerium=abc; _pomerium_authenticate=x; _pomerium_csrf=y", DEFAULTS))
                .contains("abc");
        assertThat(SessionCookies.read((String) null, DEFAULTS)).isEmpty();
        assertThat(SessionCookies.read("", DEFAULTS)).isEmpty();
        assertThat(SessionCookies.read("_pomerium=first; _pomerium=second", DEFAULTS)).contains("first");
    }

    @Test
    void aSessionTooLargeForTheChunksIsRefusedWithAMessage() {
        String huge = "A".repeat(SessionCookies.MAX_CHUNKS * SessionCookies.MAX_COOKIE_BYTES);
        assertThatThrownBy(() -> SessionCookies.setCookieHeaders(huge, DEFAULTS, NOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("drop claims or groups");
        assertThatThrownBy(() -> SessionCookies.setCookieHeaders("a;b", DEFAULTS, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearingExpiresTheCookieAndEveryChunkTheClientHas() {
        CookieSettings withDomain = new CookieSettings("_pomerium", Optional.of("example.com"), true,
                true, SameSite.LAX, Duration.ofHours(14));
        List<String> headers = SessionCookies.clearCookieHeaders(
                "a=1; _pomerium=2|x; _pomerium_1=y; _pomerium_2=z; _pomerium_99=w; _pomerium_csrf=c", withDomain);
        assertThat(headers).containsExactly(
                "_pomerium=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax",
                "_pomerium_1=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax",
                "_pomerium_2=; Path=/; Domain=example.com; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax");
        assertThat(SessionCookies.clearCookieHeaders(null, DEFAULTS)).hasSize(1);
    }

    @Test
    void ownCookiesAreSeparatedFromOthersKeptAsSent() {
        Set<String> own = DEFAULTS.ownCookieNames();
        assertThat(SessionCookies.separateOwnCookies("a=1; _pomerium=x; b=2; _pomerium_1=y", own))
                .isEqualTo(new SessionCookies.Separated("_pomerium=x; _pomerium_1=y", "a=1; b=2"));
        assertThat(SessionCookies.separateOwnCookies(
                "_pomerium_authenticate=q;_pomerium_authenticate_1=r; theme=\"dark\" ;_pomerium_csrf=s; flag; "
                        + "_pomerium_extra=keep; _pomerium_=keep2", own))
                .isEqualTo(new SessionCookies.Separated(
                        "_pomerium_authenticate=q; _pomerium_authenticate_1=r; _pomerium_csrf=s",
                        "theme=\"dark\"; flag; _pomerium_extra=keep; _pomerium_=keep2"));
        assertThat(SessionCookies.separateOwnCookies("_pomerium=x; _pomerium_1=y", own).others()).isEmpty();
        assertThat(SessionCookies.separateOwnCookies("a=1", own).own()).isEmpty();
        assertThat(SessionCookies.separateOwnCookies(null, own)).isEqualTo(new SessionCookies.Separated("", ""));
        assertThat(SessionCookies.separateOwnCookies("", own)).isEqualTo(new SessionCookies.Separated("", ""));
    }

    /** What a browser would send back: the name=value of each live Set-Cookie. */
    private static String cookieHeaderFrom(List<String> setCookieHeaders) {
        return String.join("; ", pairsFrom(setCookieHeaders));
    }

    private static List<String> pairsFrom(List<String> setCookieHeaders) {
        return setCookieHeaders.stream().filter(h -> !h.contains("Max-Age=0;"))
                .map(h -> h.substring(0, h.indexOf(';'))).collect(Collectors.toList());
    }
}
