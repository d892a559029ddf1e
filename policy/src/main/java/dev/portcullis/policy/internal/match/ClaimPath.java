package dev.portcullis.policy.internal.match;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a {@code claim/<path>} criterion looks in the claims, as Pomerium does: first the whole path as
 * one key ({@code claim/example.com/role} finds the key {@code example.com/role}); otherwise the path split
 * at every {@code /} and {@code .} walks into nested maps ({@code claim/org/team} finds
 * {@code {org: {team: …}}}).
 */
public final class ClaimPath {

    private static final Object MISSING = new Object();

    private final String text;
    private final String[][] candidates;

    public ClaimPath(String text) {
        this.text = text;
        List<String[]> list = new ArrayList<>();
        list.add(new String[] {text});
        String[] segments = text.split("[/.]", -1);
        if (segments.length > 1) {
            list.add(segments);
        }
        candidates = list.toArray(String[][]::new);
    }

    /** The path as written after {@code claim/}. */
    public String text() {
        return text;
    }

    /** The claim's value, or null when the claims do not have it. */
    public Object find(Map<String, Object> claims) {
        for (String[] candidate : candidates) {
            Object value = walk(claims, candidate);
            if (value != MISSING) {
                return value;
            }
        }
        return null;
    }

    private static Object walk(Map<String, Object> claims, String[] segments) {
        Object current = claims;
        for (String segment : segments) {
            if (!(current instanceof Map<?, ?> map)) {
                return MISSING;
            }
            Object next = map.get(segment);
            if (next == null && !map.containsKey(segment)) {
                return MISSING;
            }
            current = next;
        }
        return current;
    }
}
