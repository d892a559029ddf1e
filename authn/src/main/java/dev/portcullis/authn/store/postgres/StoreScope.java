package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Checks the scope a store puts in the {@code scope} column of its rows (and the name of its channel): which store of
 * a deployment a row belongs to, e.g. {@code handoff} and {@code state} sharing the {@code single_use} table.
 */
final class StoreScope {
    /** Short and plain, so that a channel named after it stays an identifier within PostgreSQL's 63 bytes. */
    private static final Pattern SCOPE = Pattern.compile("[a-z0-9_]{1,30}");

    private StoreScope() {}

    static String checked(String scope) {
        requireNonNull(scope, "scope");
        if (!SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException("scope: \"" + scope
                    + "\" (expected: 1 to 30 lower case letters, digits or _, such as \"handoff\")");
        }
        return scope;
    }
}
