package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

/** Checks the prefix a store puts before its keys: an empty one would mix the store's keys with anything else in Redis. */
final class KeyPrefix {
    private KeyPrefix() {}

    static String checked(String keyPrefix) {
        requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.isEmpty()) {
            throw new IllegalArgumentException("keyPrefix: \"\" (expected: a prefix such as \"portcullis:handoff:\")");
        }
        return keyPrefix;
    }
}
