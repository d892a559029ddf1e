package dev.portcullis.proxy.http;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Optional;

/**
 * A request target reduced to the one spelling that routing, the policy, a forward-auth check and
 * the upstream all see: a canonical path and the query. It is computed once, before any decision
 * (DESIGN.md, "One canonical request target"); a target that some upstream could read as another
 * path than the one the policy judged is refused, never guessed.
 *
 * <p>The input is the target as received, one character per byte (ISO-8859-1), which is how Netty
 * hands over the request line and header values. Refused, with a message naming the rule:
 * <ul>
 *   <li>a target that is neither a path nor an {@code http(s)://} URL ({@code *}, {@code host:443});</li>
 *   <li>a malformed percent escape ({@code %zz}, {@code %4});</li>
 *   <li>a raw space or control character, or an escaped one ({@code %00}, {@code %0A}, {@code %7F}, and the
 *       C1 controls U+0080–U+009F);</li>
 *   <li>escaped or raw bytes ≥ 0x80 that are not valid UTF-8 (RFC 3629): overlong forms ({@code %C0%AE}),
 *       surrogates ({@code %ED%A0%80}), code points above U+10FFFF, stray bytes;</li>
 *   <li>{@code %2F}, {@code %5C} or a raw {@code \} anywhere in the path: an upstream that decodes them, or
 *       reads {@code \} as {@code /}, sees other segments ({@code /%2Fadmin} is {@code /admin} to nginx);</li>
 *   <li>a raw {@code ;}: Tomcat, Jetty and Spring cut path parameters off before matching
 *       ({@code /admin;x} is {@code /admin} to them, {@code /public/..;/admin} climbs to {@code /admin});</li>
 *   <li>a segment that would be {@code .} or {@code ..} if an escaped {@code %3B} began path parameters
 *       ({@code ..%3B}, {@code .%3Bx}), or would be empty before another segment ({@code /%3Bx/admin},
 *       which is {@code //admin} to such a reader); {@code %3B} elsewhere is kept, escaped;</li>
 *   <li>double encoding: an escaped {@code %} followed by two hex digits ({@code %252F}, {@code %25%32%46}),
 *       which an upstream that decodes twice would read as another character;</li>
 *   <li>in the query, a raw space or control character.</li>
 * </ul>
 *
 * <p>Otherwise the path is decoded, its dot segments are removed (RFC 3986 §5.2.4), runs of {@code /}
 * are merged, and it is written again in exactly one way: each character that RFC 3986 allows
 * literally in a segment (unreserved, sub-delims except {@code ;}, {@code :} and {@code @}) literally,
 * everything else as upper-case escapes of its UTF-8 bytes (§2.1, §6.2.2). So {@code /%61dmin},
 * {@code /a/../admin} and {@code //admin} are all {@code /admin}; {@code /caf%c3%a9} and a raw
 * UTF-8 {@code /café} are both {@code /caf%C3%A9}; {@code /a|b} is {@code /a%7Cb}. Parsing a canonical
 * path returns it unchanged. A fragment is dropped; an absolute-form target keeps its path and query.
 *
 * <p>The query is not judged by any rule and goes upstream as received, except that raw bytes
 * ≥ 0x80 are percent-encoded (RFC 3987 §3.1), since the upstream request line is written in ASCII.
 *
 * @param path  the canonical path, always starting with {@code /}
 * @param query the query without {@code ?}, or empty
 */
public record RequestTarget(String path, Optional<String> query) {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public RequestTarget {
        requireNonNull(path, "path");
        requireNonNull(query, "query");
    }

    /** The target as it goes upstream: path and query. */
    public String pathAndQuery() {
        return query.map(q -> path + "?" + q).orElse(path);
    }

    /** Parses a request target and makes its path canonical. */
    public static RequestTarget parse(String rawTarget) throws InvalidRequestTargetException {
        requireNonNull(rawTarget, "rawTarget");
        String target = rawTarget;
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        if (!target.startsWith("/")) {
            target = stripSchemeAndAuthority(target);
        }
        int question = target.indexOf('?');
        String rawPath = question >= 0 ? target.substring(0, question) : target;
        Optional<String> query = question >= 0 ? Optional.of(query(target.substring(question + 1))) : Optional.empty();
        return new RequestTarget(canonicalPath(rawPath), query);
    }

    private static String stripSchemeAndAuthority(String target) throws InvalidRequestTargetException {
        int schemeEnd = target.indexOf("://");
        if (schemeEnd <= 0 || !(target.regionMatches(true, 0, "http", 0, schemeEnd)
                || target.regionMatches(true, 0, "https", 0, schemeEnd))) {
            throw new InvalidRequestTargetException("the request target must start with /");
        }
        int pathStart = target.indexOf('/', schemeEnd + 3);
        int queryStart = target.indexOf('?', schemeEnd + 3);
        if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
            return "/" + (queryStart >= 0 ? target.substring(queryStart) : "");
        }
        return target.substring(pathStart);
    }

    private static String canonicalPath(String rawPath) throws InvalidRequestTargetException {
        if (isCanonical(rawPath)) {
            return rawPath;
        }
        String decoded = utf8(percentDecode(rawPath));
        refuseDoubleEncoding(decoded);
        refuseHiddenSegments(decoded);
        return encode(removeDotSegments(decoded));
    }

    /**
     * The common case, answered without allocating: only characters that are literal in the
     * canonical form, and no empty, {@code .} or {@code ..} segment (a trailing {@code /} aside).
     */
    private static boolean isCanonical(String rawPath) {
        int segmentStart = 1;
        for (int i = 1; i <= rawPath.length(); i++) {
            if (i == rawPath.length() || rawPath.charAt(i) == '/') {
                int length = i - segmentStart;
                boolean last = i == rawPath.length();
                if ((length == 0 && !last) || (length == 1 && rawPath.charAt(segmentStart) == '.')
                        || (length == 2 && rawPath.startsWith("..", segmentStart))) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (!isLiteral(rawPath.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The path's bytes with escapes decoded; refuses what must not appear in them at all. */
    private static byte[] percentDecode(String rawPath) throws InvalidRequestTargetException {
        byte[] bytes = new byte[rawPath.length()];
        int length = 0;
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            int b;
            if (c == '%') {
                b = escapedByte(rawPath, i);
                i += 2;
                if (b == '/' || b == '\\') {
                    throw new InvalidRequestTargetException("the path has an escaped slash or backslash (%2F, %5C)");
                }
                if (b < 0x20 || b == 0x7f) {
                    throw new InvalidRequestTargetException("the path has an escaped control character");
                }
            } else if (c <= 0x20 || c == 0x7f) {
                throw new InvalidRequestTargetException("the path has a raw space or control character");
            } else if (c > 0xff) {
                throw new InvalidRequestTargetException("the path has a character that is not a byte");
            } else if (c == '\\') {
                throw new InvalidRequestTargetException("the path has a backslash");
            } else if (c == ';') {
                throw new InvalidRequestTargetException("the path has a ; (path parameters)");
            } else {
                b = c;
            }
            bytes[length++] = (byte) b;
        }
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    private static int escapedByte(String rawPath, int percent) throws InvalidRequestTargetException {
        if (percent + 2 >= rawPath.length()) {
            throw new InvalidRequestTargetException("the path has an incomplete percent escape");
        }
        int hi = hexValue(rawPath.charAt(percent + 1));
        int lo = hexValue(rawPath.charAt(percent + 2));
        if (hi < 0 || lo < 0) {
            throw new InvalidRequestTargetException("the path has a malformed percent escape");
        }
        return hi * 16 + lo;
    }

    /** Strict UTF-8: no overlong form, no surrogate, nothing above U+10FFFF; and no C1 control. */
    private static String utf8(byte[] bytes) throws InvalidRequestTargetException {
        boolean ascii = true;
        for (byte b : bytes) {
            ascii &= b >= 0;
        }
        if (ascii) {
            return new String(bytes, StandardCharsets.US_ASCII);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestTargetException("the path is not valid UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80 && text.charAt(i) <= 0x9f) {
                throw new InvalidRequestTargetException("the path has an escaped control character");
            }
        }
        return text;
    }

    /** {@code %25} followed by two hex digits, however spelt, is another path to an upstream that decodes twice. */
    private static void refuseDoubleEncoding(String decoded) throws InvalidRequestTargetException {
        for (int i = decoded.indexOf('%'); i >= 0; i = decoded.indexOf('%', i + 1)) {
            if (i + 2 < decoded.length() && hexValue(decoded.charAt(i + 1)) >= 0 && hexValue(decoded.charAt(i + 2)) >= 0) {
                throw new InvalidRequestTargetException("the path is encoded twice (%25 before two hex digits)");
            }
        }
    }

    /**
     * Refuses a segment that a reader who starts path parameters at an escaped {@code ;} would see
     * as {@code .}, {@code ..}, or as empty before another segment (which merges it away): such a
     * reader would climb or shift segments where the policy saw a plain name.
     */
    private static void refuseHiddenSegments(String decoded) throws InvalidRequestTargetException {
        if (decoded.indexOf(';') < 0) {
            return;
        }
        String[] segments = decoded.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            int semicolon = segments[i].indexOf(';');
            if (semicolon < 0) {
                continue;
            }
            String beforeParameters = segments[i].substring(0, semicolon);
            if (beforeParameters.equals(".") || beforeParameters.equals("..")
                    || (beforeParameters.isEmpty() && i < segments.length - 1)) {
                throw new InvalidRequestTargetException("the path has a dot or empty segment before an escaped ; (%3B)");
            }
        }
    }

    /** RFC 3986 §5.2.4 on segments, with empty segments (from {@code //}) merged away. */
    static String removeDotSegments(String path) {
        Deque<String> kept = new ArrayDeque<>();
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals("..")) {
                kept.pollLast();
                if (last) kept.addLast("");
            } else if (segment.equals(".") || (segment.isEmpty() && !last)) {
                if (last) kept.addLast("");
            } else {
                kept.addLast(segment);
            }
        }
        if (kept.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : kept) {
            out.append('/').append(segment);
        }
        return out.toString();
    }

    /** Writes a decoded path in its one canonical spelling. */
    private static String encode(String decoded) {
        StringBuilder out = new StringBuilder(decoded.length() + 16);
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '/' || isLiteral(c)) {
                out.append(c);
            } else if (c < 0x80) {
                appendEscape(out, c);
            } else {
                int codePoint = decoded.codePointAt(i);
                i += Character.charCount(codePoint) - 1;
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    appendEscape(out, b & 0xff);
                }
            }
        }
        return out.toString();
    }

    /** The query as received; raw bytes ≥ 0x80 escaped, raw spaces and controls refused. */
    private static String query(String rawQuery) throws InvalidRequestTargetException {
        StringBuilder escaped = null;
        for (int i = 0; i < rawQuery.length(); i++) {
            char c = rawQuery.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new InvalidRequestTargetException("the query has a raw space or control character");
            }
            if (c > 0xff) {
                throw new InvalidRequestTargetException("the query has a character that is not a byte");
            }
            if (c >= 0x80 && escaped == null) {
                escaped = new StringBuilder(rawQuery.length() + 16).append(rawQuery, 0, i);
            }
            if (escaped != null) {
                if (c >= 0x80) {
                    appendEscape(escaped, c);
                } else {
                    escaped.append(c);
                }
            }
        }
        return escaped == null ? rawQuery : escaped.toString();
    }

    /** RFC 3986 pchar characters that stand for themselves, except {@code ;} (see the class comment). */
    private static boolean isLiteral(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
    }

    private static void appendEscape(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** A request target that cannot be made safe: answered with 400. The message names the rule. */
    public static final class InvalidRequestTargetException extends Exception {
        public InvalidRequestTargetException(String message) {
            super(message, null, false, false);
        }
    }
}
