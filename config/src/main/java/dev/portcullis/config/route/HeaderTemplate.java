package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Pomerium's substitutions in header values ({@code set_request_headers}), parsed as its
 * {@code internal/headertemplate} does, so a value means the same under either proxy:
 * <ul>
 *   <li>{@code $$} is a literal {@code $};</li>
 *   <li>{@code ${a.b.c}} (spaces and tabs allowed around names and dots) and {@code ${a["b"].c}} (a quoted
 *       name, {@code \} escaping the next character) name the reference {@code [a, b, c]};</li>
 *   <li>{@code $a.b.c} names it too, without braces;</li>
 *   <li>a name is {@code [A-Za-z0-9_][A-Za-z0-9_-]*};</li>
 *   <li>anything else, an unclosed {@code ${} included, is literal text.</li>
 * </ul>
 * Every reference is replaced by what the lookup answers, which for a name it does not know is {@code ""}
 * (Pomerium's rule: {@code $HOME} in a value becomes nothing). A substituted value is never read again, so a
 * token that contains {@code $} stays as it is.
 */
public final class HeaderTemplate {

    /**
     * The substitutions Pomerium fills in ({@code headers_evaluator_evaluation.go}), besides
     * {@code pomerium.request.headers.<name>}; any other reference becomes {@code ""}.
     */
    public static final Set<List<String>> POMERIUM_VALUES = Set.of(
            List.of("pomerium", "id_token"), List.of("pomerium", "access_token"), List.of("pomerium", "jwt"),
            List.of("pomerium", "client_cert_fingerprint"), List.of("pomerium", "client_cert_san_dns"),
            List.of("pomerium", "client_cert_san_email"));

    /** Whether {@code reference} names a value Pomerium fills in, a request header included. */
    public static boolean isPomeriumValue(List<String> reference) {
        return POMERIUM_VALUES.contains(reference) || reference.size() > 3 && reference.get(0).equals("pomerium")
                && reference.get(1).equals("request") && reference.get(2).equals("headers");
    }

    private final String source;
    private int pos;

    private HeaderTemplate(String source) {
        this.source = source;
    }

    /** {@code template} with every reference replaced by {@code lookup}'s answer for it. */
    public static String render(String template, Function<List<String>, String> lookup) {
        requireNonNull(lookup, "lookup");
        return new HeaderTemplate(requireNonNull(template, "template")).parse(lookup);
    }

    /** The references {@code template} makes, in order, without repeats. */
    public static Set<List<String>> references(String template) {
        Set<List<String>> references = new LinkedHashSet<>();
        render(template, ref -> {
            references.add(ref);
            return "";
        });
        return references;
    }

    private String parse(Function<List<String>, String> lookup) {
        StringBuilder out = new StringBuilder(source.length());
        while (pos < source.length()) {
            String value = variable(lookup);
            if (value != null) {
                out.append(value);
            } else {
                out.append(source.charAt(pos++));
            }
        }
        return out.toString();
    }

    /** A variable at {@code pos}, replaced, with {@code pos} past it; null (and {@code pos} unchanged) if none. */
    private String variable(Function<List<String>, String> lookup) {
        if (peek() != '$') {
            return null;
        }
        int start = pos;
        pos++;
        if (peek() == '$') {
            pos++;
            return "$";
        }
        List<String> ref = peek() == '{' ? braced() : simple();
        if (ref == null) {
            pos = start;
            return null;
        }
        return lookup.apply(List.copyOf(ref));
    }

    /** {@code {_ name _ ( . _ name _ | [ _ "text" _ ] _ )* }} at {@code pos} (which is on the brace). */
    private List<String> braced() {
        pos++;
        skipBlanks();
        String first = identifier();
        if (first == null) {
            return null;
        }
        List<String> ref = new ArrayList<>(List.of(first));
        while (true) {
            skipBlanks();
            if (peek() == '.') {
                pos++;
                skipBlanks();
                String name = identifier();
                if (name == null) {
                    return null;
                }
                ref.add(name);
            } else if (peek() == '[') {
                pos++;
                skipBlanks();
                String text = quoted();
                if (text == null) {
                    return null;
                }
                ref.add(text);
                skipBlanks();
                if (next() != ']') {
                    return null;
                }
            } else {
                break;
            }
        }
        return next() == '}' ? ref : null;
    }

    /** {@code name ( . name )*} at {@code pos}. */
    private List<String> simple() {
        List<String> ref = new ArrayList<>();
        while (true) {
            String name = identifier();
            if (name == null) {
                return null;
            }
            ref.add(name);
            if (peek() != '.') {
                return ref;
            }
            pos++;
        }
    }

    private String quoted() {
        if (next() != '"') {
            return null;
        }
        StringBuilder text = new StringBuilder();
        while (true) {
            int c = next();
            if (c == '"') {
                return text.toString();
            }
            if (c < 0) {
                return null;
            }
            if (c == '\\') {
                c = next();
                if (c < 0) {
                    return null;
                }
            }
            text.append((char) c);
        }
    }

    private String identifier() {
        int start = pos;
        while (isIdentifierCharacter(peek())) {
            pos++;
        }
        return pos > start ? source.substring(start, pos) : null;
    }

    private void skipBlanks() {
        while (peek() == ' ' || peek() == '\t') {
            pos++;
        }
    }

    private int peek() {
        return pos < source.length() ? source.charAt(pos) : -1;
    }

    private int next() {
        return pos < source.length() ? source.charAt(pos++) : -1;
    }

    private static boolean isIdentifierCharacter(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-';
    }
}
