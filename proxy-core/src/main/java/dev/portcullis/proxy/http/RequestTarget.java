package dev.portcullis.proxy.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * A request target reduced to what routing, policy and the upstream see: a normalised path and
 * the raw query. Normalisation happens once, before any decision, so that {@code /public/../admin},
 * {@code /%2e%2e/admin}, {@code //admin} or {@code /admin;x} cannot reach a path rule in a form
 * it does not expect:
 * <ul>
 *   <li>percent-encoded unreserved characters (RFC 3986 §2.3) are decoded, other escapes are
 *       kept with upper-case hex (§6.2.2.1); {@code %2F} stays encoded, so it never becomes a
 *       separator;</li>
 *   <li>dot segments are removed (§5.2.4) and runs of {@code /} become one;</li>
 *   <li>a fragment is dropped; an absolute-form target keeps only its path and query.</li>
 * </ul>
 * Matrix parameters ({@code ;}) are kept as part of the segment and so never match a shorter
 * exact path. A {@code ..} that needs {@code %2F}, {@code %5C} or a backslash to be a segment is
 * refused, since an upstream may decode it after the policy allowed the path. A target that is not a path (no leading {@code /}), has a malformed escape, or
 * encodes a NUL or a control character is refused.
 *
 * @param path  the normalised path, always starting with {@code /}
 * @param query the raw query without {@code ?}, or empty
 */
public record RequestTarget(String path, Optional<String> query) {

    /** The target as it goes upstream: path and query. */
    public String pathAndQuery() {
        return query.map(q -> path + "?" + q).orElse(path);
    }

    /** Parses and normalises a request target. */
    public static RequestTarget parse(String rawTarget) throws InvalidRequestTargetException {
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
        Optional<String> query = question >= 0 ? Optional.of(target.substring(question + 1)) : Optional.empty();
        String decoded = decodeUnreserved(rawPath);
        refuseHiddenTraversal(decoded);
        return new RequestTarget(removeDotSegments(decoded), query);
    }

    /**
     * Refuses a {@code ..} segment that only appears when {@code %2F}, {@code %5C} or {@code \}
     * count as separators ({@code /public/..%2Fadmin}, {@code /public\..\admin}): the proxy keeps
     * such a path as one segment, but an upstream that decodes it, or treats a backslash as a
     * slash, would climb out of the prefix a policy allowed.
     */
    private static void refuseHiddenTraversal(String path) throws InvalidRequestTargetException {
        if (path.indexOf('\\') < 0 && path.indexOf("%2F") < 0 && path.indexOf("%5C") < 0) {
            return;
        }
        for (String segment : path.replace("%2F", "/").replace("%5C", "/").replace('\\', '/').split("/")) {
            if (segment.equals("..")) {
                throw new InvalidRequestTargetException("the path climbs up behind an escaped slash or a backslash");
            }
        }
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

    private static String decodeUnreserved(String path) throws InvalidRequestTargetException {
        if (path.indexOf('%') < 0) {
            checkCharacters(path);
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 2 >= path.length()) {
                throw new InvalidRequestTargetException("the path has an incomplete percent escape");
            }
            int hi = Character.digit(path.charAt(i + 1), 16);
            int lo = Character.digit(path.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new InvalidRequestTargetException("the path has a malformed percent escape");
            }
            int decoded = hi * 16 + lo;
            if (decoded < 0x20 || decoded == 0x7f) {
                throw new InvalidRequestTargetException("the path encodes a control character");
            }
            if (isUnreserved((char) decoded)) {
                out.append((char) decoded);
            } else {
                out.append('%').append(Character.toUpperCase(path.charAt(i + 1)))
                        .append(Character.toUpperCase(path.charAt(i + 2)));
            }
            i += 2;
        }
        String decoded = out.toString();
        checkCharacters(decoded);
        return decoded;
    }

    private static void checkCharacters(String path) throws InvalidRequestTargetException {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new InvalidRequestTargetException("the path has a space or a control character");
            }
        }
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
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

    /** A request target that cannot be made safe: answered with 400. */
    public static final class InvalidRequestTargetException extends Exception {
        public InvalidRequestTargetException(String message) {
            super(message, null, false, false);
        }
    }
}
