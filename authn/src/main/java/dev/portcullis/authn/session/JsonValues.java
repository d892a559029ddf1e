package dev.portcullis.authn.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, unmodifiable copies of JSON values (null, strings, numbers, booleans, lists, maps). Small
 * integers become {@link Long} and floats {@link Double}, as the JSON parser reads them back, so a
 * session equals itself after a seal/unseal round trip.
 */
final class JsonValues {

    private JsonValues() {
    }

    /** A deep unmodifiable copy of a JSON object; null values are kept, keys must be strings. */
    static Map<String, Object> immutableObject(Map<?, ?> object) {
        Map<String, Object> copy = new LinkedHashMap<>();
        object.forEach((key, value) -> {
            if (!(key instanceof String name)) {
                throw new IllegalArgumentException("claim key: " + key + " (expected: a string)");
            }
            copy.put(name, immutableValue(value));
        });
        return Collections.unmodifiableMap(copy);
    }

    private static Object immutableValue(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float number) {
            return number.doubleValue();
        }
        if (value == null || value instanceof String || value instanceof Number
                || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return immutableObject(map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(immutableValue(element));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(
                "claim value of type " + value.getClass().getName() + " (expected: a JSON value)");
    }
}
