package dev.portcullis.policy.internal.compile;

import static dev.portcullis.policy.internal.compile.Problems.key;

import dev.portcullis.policy.internal.match.ListMatcher;
import dev.portcullis.policy.internal.match.Scalars;
import dev.portcullis.policy.internal.match.StringMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads string matchers ({@code email: {starts_with: admin@}}) and string-list matchers
 * ({@code groups: {has: admins}}). A bare string, number or boolean means {@code is} for a string matcher
 * and {@code has} for a list matcher. No value at all ({@code - email:}) loads, as in Pomerium, as a matcher
 * that matches nothing, with a warning.
 */
final class MatcherReader {

    private static final List<String> STRING_OPS =
            Arrays.stream(StringMatcher.Op.values()).map(StringMatcher.Op::keyword).toList();
    private static final List<String> LIST_OPS =
            Arrays.stream(ListMatcher.Op.values()).map(ListMatcher.Op::keyword).toList();

    private final Problems problems;

    MatcherReader(Problems problems) {
        this.problems = problems;
    }

    Optional<StringMatcher> string(Object value, String path) {
        if (value == null) {
            warnNoValue(path, "is");
            return Optional.of(StringMatcher.nothing());
        }
        String text = Scalars.text(value);
        if (text != null) {
            return Optional.of(StringMatcher.is(text));
        }
        if (!(value instanceof Map<?, ?> map)) {
            String hint = value instanceof List ? "; to accept any of several values write in: [a, b]" : "";
            problems.add(path, "expected a string or a string matcher (" + String.join(", ", STRING_OPS)
                    + "), found " + Scalars.kind(value) + hint);
            return Optional.empty();
        }
        if (map.isEmpty()) {
            problems.add(path, "empty string matcher; expected one or more of " + String.join(", ", STRING_OPS));
            return Optional.empty();
        }
        int before = problems.count();
        List<StringMatcher.Test> tests = new ArrayList<>();
        map.forEach((k, v) -> stringTest(String.valueOf(k), v, path).ifPresent(tests::add));
        return problems.count() > before ? Optional.empty() : Optional.of(new StringMatcher(tests));
    }

    private Optional<StringMatcher.Test> stringTest(String name, Object value, String path) {
        StringMatcher.Op op = Arrays.stream(StringMatcher.Op.values())
                .filter(o -> o.keyword().equals(name)).findFirst().orElse(null);
        if (op == null) {
            problems.add(path, "unknown string matcher \"" + name + "\"" + Spelling.didYouMean(name, STRING_OPS)
                    + "; expected one of " + String.join(", ", STRING_OPS));
            return Optional.empty();
        }
        if (op.takesList()) {
            List<String> texts = texts(value);
            if (texts == null) {
                problems.add(key(path, name), name + " matcher requires a list of strings");
                return Optional.empty();
            }
            return Optional.of(StringMatcher.Test.of(op, texts));
        }
        String text = Scalars.text(value);
        if (text == null) {
            String hint = value instanceof List && op == StringMatcher.Op.IS ? " (use in: [a, b] for several values)"
                    : value instanceof List && op == StringMatcher.Op.NOT ? " (use not_in: [a, b] for several values)" : "";
            problems.add(key(path, name), name + " matcher requires a string, found " + Scalars.kind(value) + hint);
            return Optional.empty();
        }
        return Optional.of(StringMatcher.Test.of(op, text));
    }

    Optional<ListMatcher> list(Object value, String path) {
        if (value == null) {
            warnNoValue(path, "has");
            return Optional.of(ListMatcher.nothing());
        }
        String text = Scalars.text(value);
        if (text != null) {
            return Optional.of(ListMatcher.has(text));
        }
        if (!(value instanceof Map<?, ?> map)) {
            String hint = value instanceof List
                    ? "; to accept any of several values, write one criterion per value under or" : "";
            problems.add(path, "expected a string or a list matcher (" + String.join(", ", LIST_OPS) + "), found "
                    + Scalars.kind(value) + hint);
            return Optional.empty();
        }
        if (map.isEmpty()) {
            problems.add(path, "empty list matcher; expected one or more of " + String.join(", ", LIST_OPS));
            return Optional.empty();
        }
        int before = problems.count();
        List<ListMatcher.Test> tests = new ArrayList<>();
        map.forEach((k, v) -> listTest(String.valueOf(k), v, path).ifPresent(tests::add));
        return problems.count() > before ? Optional.empty() : Optional.of(new ListMatcher(tests));
    }

    private Optional<ListMatcher.Test> listTest(String name, Object value, String path) {
        ListMatcher.Op op = Arrays.stream(ListMatcher.Op.values())
                .filter(o -> o.keyword().equals(name)).findFirst().orElse(null);
        if (op == null) {
            problems.add(path, "unknown list matcher \"" + name + "\"" + Spelling.didYouMean(name, LIST_OPS)
                    + "; expected one of " + String.join(", ", LIST_OPS));
            return Optional.empty();
        }
        String text = Scalars.text(value);
        if (text == null) {
            String hint = value instanceof List ? " (write one criterion per value under or)" : "";
            problems.add(key(path, name), name + " matcher requires a string, found " + Scalars.kind(value) + hint);
            return Optional.empty();
        }
        return Optional.of(new ListMatcher.Test(op, text));
    }

    private void warnNoValue(String path, String operator) {
        String criterion = path.substring(path.lastIndexOf('.') + 1);
        problems.warn(path, "has no value, so it matches no one (as in Pomerium); give it one, e.g. " + criterion
                + ": {" + operator + ": …}, or remove it");
    }

    /** The texts of a list of strings, numbers or booleans; null when it is not one. */
    static List<String> texts(Object value) {
        if (!(value instanceof List<?> list)) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (Object element : list) {
            String text = Scalars.text(element);
            if (text == null) {
                return null;
            }
            texts.add(text);
        }
        return texts;
    }
}
