package dev.portcullis.authn.session;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Puts a sealed session into {@code Set-Cookie} headers and reads it back from {@code Cookie}
 * headers, splitting it into chunks when it would not fit one browser cookie.
 *
 * <p><b>Chunk format.</b> A value whose {@code Set-Cookie} header (name, value and attributes) fits
 * in {@value #MAX_COOKIE_BYTES} bytes is written as one cookie, {@code <name>=<sealed>}. A larger one
 * is cut into {@code n} pieces (2 ≤ n ≤ {@value #MAX_CHUNKS}): {@code <name>=<n>|<piece 0>}, then
 * {@code <name>_1=<piece 1>} … {@code <name>_<n-1>=<piece n-1>}, each header within the limit. A
 * sealed session (a compact JWE) never contains {@code |}, so the count prefix is unambiguous, and
 * {@code |} is a legal cookie-octet (RFC 6265 §4.1.1). Unlike Pomerium's {@code %} marker, the count
 * lets the reader refuse a cookie with a missing or extra chunk instead of guessing. Because an extra
 * chunk is refused, writing a session also expires the chunk names beyond the new count, so a stale
 * chunk from an earlier, larger session cannot lock the user out.
 *
 * <p>Reading never fails: anything malformed is {@link Optional#empty()}, and the sealer decides
 * whether the joined value is authentic. When a name occurs more than once, the first occurrence
 * wins (RFC 6265 §5.4 puts the most specific cookie first).
 */
public final class SessionCookies {

    /** The size browsers guarantee for one cookie (RFC 6265 §6.1), here counting its attributes. */
    public static final int MAX_COOKIE_BYTES = 4096;
    /** At most this many chunks are written or read: about 20 KB of cookie, under the proxy's limits. */
    public static final int MAX_CHUNKS = 5;

    private static final char COUNT_SEPARATOR = '|';
    private static final Pattern SEALED = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern CHUNK_INDEX = Pattern.compile("[1-9][0-9]{0,8}");

    private SessionCookies() {
    }

    /**
     * The {@code Set-Cookie} header values that store {@code sealed}: one per chunk, then one that
     * expires each unused chunk name up to {@link #MAX_CHUNKS}.
     *
     * @param sealed the sealed session: base64url characters and dots
     * @throws IllegalArgumentException when {@code sealed} has other characters, or would need more
     *                                  than {@link #MAX_CHUNKS} chunks (make the session smaller)
     */
    public static List<String> setCookieHeaders(String sealed, CookieSettings settings, Instant now) {
        requireNonNull(sealed, "sealed");
        requireNonNull(settings, "settings");
        requireNonNull(now, "now");
        if (!SEALED.matcher(sealed).matches()) {
            throw new IllegalArgumentException("sealed: not a sealed session (expected: base64url and dots)");
        }
        List<String> pieces = split(sealed, settings, SetCookieHeader.attributes(settings, now).length());
        List<String> headers = new ArrayList<>(MAX_CHUNKS);
        String first = pieces.size() == 1 ? sealed : pieces.size() + "" + COUNT_SEPARATOR + pieces.get(0);
        headers.add(SetCookieHeader.live(settings.name(), first, settings, now));
        for (int i = 1; i < pieces.size(); i++) {
            headers.add(SetCookieHeader.live(chunkName(settings.name(), i), pieces.get(i), settings, now));
        }
        for (int i = pieces.size(); i < MAX_CHUNKS; i++) {
            headers.add(SetCookieHeader.expired(chunkName(settings.name(), i), settings));
        }
        return headers;
    }

    /** The sealed session joined from one {@code Cookie} header; see {@link #read(List, CookieSettings)}. */
    public static Optional<String> read(String cookieHeader, CookieSettings settings) {
        return read(cookieHeader == null ? List.of() : List.of(cookieHeader), settings);
    }

    /**
     * The sealed session joined from the request's {@code Cookie} headers (HTTP/2 may send several),
     * ignoring other cookies; empty when the cookie is absent, its count prefix is malformed, or a
     * chunk is missing, empty or extra.
     */
    public static Optional<String> read(List<String> cookieHeaders, CookieSettings settings) {
        requireNonNull(settings, "settings");
        Map<String, String> own = ownValues(CookieHeader.parse(cookieHeaders), settings.name());
        String first = own.remove(settings.name());
        if (first == null || first.isEmpty()) {
            return Optional.empty();
        }
        int separator = first.indexOf(COUNT_SEPARATOR);
        if (separator < 0) {
            return own.isEmpty() ? Optional.of(first) : Optional.empty();
        }
        int count = chunkCount(first.substring(0, separator));
        StringBuilder joined = new StringBuilder(first.substring(separator + 1));
        if (count < 2 || own.size() != count - 1 || joined.length() == 0) {
            return Optional.empty();
        }
        for (int i = 1; i < count; i++) {
            String piece = own.get(chunkName(settings.name(), i));
            if (piece == null || piece.isEmpty()) {
                return Optional.empty();
            }
            joined.append(piece);
        }
        return Optional.of(joined.toString());
    }

    /**
     * {@code Set-Cookie} header values that expire the session cookie and every chunk of it that the
     * client sent (chunk names beyond {@link #MAX_CHUNKS} were never written and are left alone, so
     * a client cannot make the response grow).
     */
    public static List<String> clearCookieHeaders(String cookieHeader, CookieSettings settings) {
        requireNonNull(settings, "settings");
        List<String> headers = new ArrayList<>();
        headers.add(SetCookieHeader.expired(settings.name(), settings));
        Set<String> present = ownValues(CookieHeader.parse(cookieHeader), settings.name()).keySet();
        for (int i = 1; i < MAX_CHUNKS; i++) {
            String chunk = chunkName(settings.name(), i);
            if (present.contains(chunk)) {
                headers.add(SetCookieHeader.expired(chunk, settings));
            }
        }
        return headers;
    }

    /**
     * Separates the proxy's own cookies from the others in a {@code Cookie} header, so that they never
     * reach an upstream: a cookie is the proxy's when its name is one of {@code names} or one of them
     * followed by {@code _<digits>} (a chunk). Pairs keep their order and are joined by {@code "; "}.
     *
     * @param names the proxy's cookie names, usually {@link CookieSettings#ownCookieNames()}
     */
    public static Separated separateOwnCookies(String cookieHeader, Set<String> names) {
        requireNonNull(names, "names");
        StringJoiner own = new StringJoiner("; ");
        StringJoiner others = new StringJoiner("; ");
        for (CookieHeader.Pair pair : CookieHeader.parse(cookieHeader)) {
            (isOwn(pair.name(), names) ? own : others).add(pair.raw());
        }
        return new Separated(own.toString(), others.toString());
    }

    /**
     * A {@code Cookie} header separated by {@link #separateOwnCookies}.
     *
     * @param own    the proxy's cookies, or {@code ""}
     * @param others every other cookie, or {@code ""} (drop the header then)
     */
    public record Separated(String own, String others) {}

    /** The chunk cookie's name: {@code <name>_<index>}, index from 1. */
    static String chunkName(String name, int index) {
        return name + "_" + index;
    }

    private static List<String> split(String sealed, CookieSettings settings, int attributesLength) {
        String name = settings.name();
        if (name.length() + 1 + sealed.length() + attributesLength <= MAX_COOKIE_BYTES) {
            return List.of(sealed);
        }
        // Budget for the longest chunk name and for the "<n>|" prefix, so every piece fits.
        int overhead = chunkName(name, MAX_CHUNKS - 1).length() + 1 + attributesLength
                + String.valueOf(MAX_CHUNKS).length() + 1;
        int capacity = MAX_COOKIE_BYTES - overhead;
        int count = capacity <= 0 ? Integer.MAX_VALUE : (sealed.length() + capacity - 1) / capacity;
        if (count > MAX_CHUNKS) {
            throw new IllegalArgumentException("session cookie: " + sealed.length()
                    + " characters (expected: at most " + MAX_CHUNKS + " cookies of "
                    + MAX_COOKIE_BYTES + " bytes; drop claims or groups from the session)");
        }
        int pieceLength = (sealed.length() + count - 1) / count;
        List<String> pieces = new ArrayList<>(count);
        for (int start = 0; start < sealed.length(); start += pieceLength) {
            pieces.add(sealed.substring(start, Math.min(sealed.length(), start + pieceLength)));
        }
        return pieces;
    }

    /** The values of {@code name} and its chunk names, first occurrence of each. */
    private static Map<String, String> ownValues(List<CookieHeader.Pair> pairs, String name) {
        Map<String, String> values = new HashMap<>();
        for (CookieHeader.Pair pair : pairs) {
            if (pair.name().equals(name) || isChunkOf(pair.name(), name)) {
                values.putIfAbsent(pair.name(), pair.value());
            }
        }
        return values;
    }

    private static int chunkCount(String prefix) {
        if (prefix.length() != 1 || prefix.charAt(0) < '2' || prefix.charAt(0) > '0' + MAX_CHUNKS) {
            return -1;
        }
        return prefix.charAt(0) - '0';
    }

    private static boolean isOwn(String cookieName, Set<String> names) {
        if (names.contains(cookieName)) {
            return true;
        }
        for (String name : names) {
            if (isChunkOf(cookieName, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isChunkOf(String cookieName, String name) {
        return cookieName.length() > name.length() + 1 && cookieName.startsWith(name)
                && cookieName.charAt(name.length()) == '_'
                && CHUNK_INDEX.matcher(cookieName).region(name.length() + 1, cookieName.length()).matches();
    }
}
