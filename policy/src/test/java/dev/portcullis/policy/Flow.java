package dev.portcullis.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML flow style ({@code {allow: {or: [{email: {is: a@b.c}}]}}}) into the plain maps, lists and
 * scalars SnakeYAML would give, so tests can state policies as people write them without a YAML library in
 * a JDK-only module. Plain scalars end at {@code ,]} or {@code \}}, and at {@code ": "} for keys;
 * {@code true/false/null} and decimal integers are typed, everything else stays a string (as the config
 * module's resolver leaves dates and times). Double quotes keep anything as a string.
 */
final class Flow {

    private final String text;
    private int pos;

    private Flow(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        Flow flow = new Flow(text);
        Object value = flow.value(false);
        flow.skipSpace();
        if (flow.pos != text.length()) {
            throw new IllegalArgumentException("trailing text at " + flow.pos + ": " + text);
        }
        return value;
    }

    private Object value(boolean key) {
        skipSpace();
        char c = text.charAt(pos);
        if (c == '{') {
            return map();
        }
        if (c == '[') {
            return list();
        }
        if (c == '"') {
            return quoted();
        }
        return plain(key);
    }

    private Map<String, Object> map() {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (text.charAt(pos) == '}') {
            pos++;
            return map;
        }
        while (true) {
            String key = String.valueOf(value(true));
            skipSpace();
            expect(':');
            skipSpace();
            Object value = text.charAt(pos) == ',' || text.charAt(pos) == '}' ? null : value(false);
            map.put(key, value);
            skipSpace();
            if (text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            expect(',');
        }
    }

    private List<Object> list() {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (text.charAt(pos) == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(false));
            skipSpace();
            if (text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            expect(',');
        }
    }

    private String quoted() {
        int end = text.indexOf('"', pos + 1);
        String s = text.substring(pos + 1, end);
        pos = end + 1;
        return s;
    }

    private Object plain(boolean key) {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            boolean keyEnd = c == ':' && (pos + 1 == text.length() || text.charAt(pos + 1) == ' ');
            if (c == ',' || c == ']' || c == '}' || (key && keyEnd)) {
                break;
            }
            pos++;
        }
        String s = text.substring(start, pos).trim();
        return switch (s) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null", "~" -> null;
            default -> s.matches("-?(0|[1-9][0-9]*)") && s.length() < 10 ? (Object) Integer.valueOf(s) : s;
        };
    }

    private void expect(char c) {
        if (text.charAt(pos) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos + ": " + text);
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
