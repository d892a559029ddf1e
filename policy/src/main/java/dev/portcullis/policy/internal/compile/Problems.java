package dev.portcullis.policy.internal.compile;

import dev.portcullis.policy.PolicyProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * The mistakes found while compiling one route, in the order found, and the warnings: what loads as in
 * Pomerium but most likely does not mean what was written. Also builds YAML paths.
 */
public final class Problems {

    private final List<PolicyProblem> found = new ArrayList<>();
    private final List<PolicyProblem> warnings = new ArrayList<>();

    public void add(String path, String message) {
        found.add(new PolicyProblem(path, message));
    }

    /** Something that compiles, as in Pomerium, but that the operator should hear about. */
    public void warn(String path, String message) {
        warnings.add(new PolicyProblem(path, message));
    }

    public List<PolicyProblem> warnings() {
        return List.copyOf(warnings);
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
