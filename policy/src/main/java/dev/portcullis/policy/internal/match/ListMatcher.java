package dev.portcullis.policy.internal.match;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Pomerium's string-list matcher, for groups and claims: {@code has} (some element is the value),
 * {@code is} (exactly one element, and it is the value), {@code exclude} (no element is the value).
 * Several tests are AND-ed. A single value (a claim that is a string, not a list) counts as a list of one;
 * a missing value as the empty list. {@link #nothing()}, the matcher of a criterion written without a value
 * ({@code - groups:}), matches no list at all.
 */
public final class ListMatcher {

    /** The operators, by their YAML names. */
    public enum Op {
        HAS("has"), IS("is"), EXCLUDE("exclude");

        private final String keyword;

        Op(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** One test: an operator and its value. */
    public record Test(Op op, String value) {
        public Test {
            requireNonNull(op, "op");
            requireNonNull(value, "value");
        }
    }

    private final Op[] ops;
    private final String[] values;
    private final String description;
    private final boolean matchesNothing;

    public ListMatcher(List<Test> tests) {
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("tests: [] (expected: at least one)");
        }
        matchesNothing = false;
        ops = tests.stream().map(Test::op).toArray(Op[]::new);
        values = tests.stream().map(Test::value).toArray(String[]::new);
        description = tests.stream().map(t -> t.op().keyword() + " " + t.value())
                .collect(Collectors.joining(" and "));
    }

    private ListMatcher() {
        ops = new Op[0];
        values = new String[0];
        description = "has no value";
        matchesNothing = true;
    }

    /**
     * The matcher of a criterion without a value ({@code - groups:}): Pomerium looks for a null element, which
     * no list of strings has, so it matches nothing.
     */
    public static ListMatcher nothing() {
        return new ListMatcher();
    }

    /** A matcher with the single test {@code has value}. */
    public static ListMatcher has(String value) {
        return new ListMatcher(List.of(new Test(Op.HAS, value)));
    }

    /** True when {@code elements} (a list, a single value, or null) passes every test. */
    public boolean matches(Object elements) {
        if (matchesNothing) {
            return false;
        }
        for (int i = 0; i < ops.length; i++) {
            boolean passes = switch (ops[i]) {
                case HAS -> count(elements, values[i]) > 0;
                case IS -> size(elements) == 1 && count(elements, values[i]) == 1;
                case EXCLUDE -> count(elements, values[i]) == 0;
            };
            if (!passes) {
                return false;
            }
        }
        return true;
    }

    private static int size(Object elements) {
        if (elements == null) {
            return 0;
        }
        return elements instanceof List<?> list ? list.size() : 1;
    }

    private static int count(Object elements, String value) {
        if (elements instanceof List<?> list) {
            int n = 0;
            for (int i = 0, size = list.size(); i < size; i++) {
                if (Scalars.sameText(list.get(i), value)) {
                    n++;
                }
            }
            return n;
        }
        return Scalars.sameText(elements, value) ? 1 : 0;
    }

    /** The tests as written: {@code has admins}. */
    public String describe() {
        return description;
    }
}
