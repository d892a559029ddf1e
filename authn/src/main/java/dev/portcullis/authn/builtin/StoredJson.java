package dev.portcullis.authn.builtin;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A flat JSON object of strings as the codecs of this package keep values in a shared store (Redis, PostgreSQL), with a layout version
 * {@code v}, so that a value written by another version is told apart and refused rather than misread.
 */
final class StoredJson {
    static final long VERSION = 1;
    private static final String VERSION_MEMBER = "v";

    private final Map<String, Object> members;

    private StoredJson(Map<String, Object> members) {
        this.members = members;
    }

    /** {@code {"v":1, name: value, …}} of the alternating {@code namesAndValues}. */
    static String write(String... namesAndValues) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(VERSION_MEMBER, VERSION);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            json.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return JSONObjectUtils.toJSONString(json);
    }

    /** The object {@link #write} wrote; throws {@link IllegalArgumentException} (without the value) for anything else. */
    static StoredJson read(String encoded) {
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(encoded);
        } catch (ParseException e) {
            throw new IllegalArgumentException("a stored value is not JSON");
        }
        if (!(json.get(VERSION_MEMBER) instanceof Number version) || version.longValue() != VERSION) {
            throw new IllegalArgumentException("a stored value of another layout (expected: v " + VERSION + ")");
        }
        return new StoredJson(json);
    }

    /** The string member {@code name}; throws {@link IllegalArgumentException} when it is missing or not a string. */
    String string(String name) {
        if (!(members.get(name) instanceof String value)) {
            throw new IllegalArgumentException("a stored value without the string \"" + name + "\"");
        }
        return value;
    }
}
