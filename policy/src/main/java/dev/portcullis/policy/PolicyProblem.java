package dev.portcullis.policy;

import static java.util.Objects.requireNonNull;

/**
 * One mistake in a route's access rules.
 *
 * @param path    the YAML path of the mistake, e.g. {@code routes[0].policy[1].allow.or[2]}
 * @param message what is wrong and, where possible, how to fix it
 */
public record PolicyProblem(String path, String message) {
    public PolicyProblem {
        requireNonNull(path, "path");
        requireNonNull(message, "message");
    }

    /** {@code path: message}, the form shown to people. */
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
