package dev.portcullis.policy.internal.compile;

import dev.portcullis.policy.PolicyProblem;
import java.util.ArrayList;
import java.util.List;

/** The mistakes found while compiling one route, in the order found; also builds YAML paths. */
public final class Problems {

    private final List<PolicyProblem> found = new ArrayList<>();

    public void add(String path, String message) {
        found.add(new PolicyProblem(path, message));
    }

    public int count() {
        return found.size();
    }

    public List<PolicyProblem> list() {
        return List.copyOf(found);
    }

    /** {@code path.key}. */
    public static String key(String path, Object key) {
        return path + "." + key;
    }

    /** {@code path[index]}. */
    public static String index(String path, int index) {
        return path + "[" + index + "]";
    }
}
