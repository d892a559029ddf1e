package dev.portcullis.policy.internal.match;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pomerium's string matcher: {@code is}, {@code not}, {@code contains}, {@code starts_with},
 * {@code ends_with}, {@code in}, {@code not_in}. Several tests are AND-ed. Comparison is exact (case and
 * all). A missing value (null) matches nothing, not even {@code not}.
 */
public final class StringMatcher {

    /** The operators, by their YAML names. */
    public enum Op {
        IS("is"), NOT("not"), CONTAINS("contains"), STARTS_WITH("starts_with"), ENDS_WITH("ends_with"),
        IN("in"), NOT_IN("not_in");

        private final String keyword;

        Op(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        /** {@code in} and {@code not_in} take a list; the others one string. */
        public boolean takesList() {
            return this == IN || this == NOT_IN;
        }
    }

    /** One test: an operator with its string, or for {@code in}/{@code not_in} its strings. */
    public record Test(Op op, String value, List<String> values) {
        public Test {
            requireNonNull(op, "op");
            values = values == null ? List.of() : List.copyOf(values);
        }

        public static Test of(Op op, String value) {
            return new Test(op, requireNonNull(value, "value"), List.of());
        }

        public static Test of(Op op, List<String> values) {
            return new Test(op, null, values);
        }
    }

    private final Op[] ops;
    private final String[] values;
    private final String[][] lists;
    private final Set<?>[] sets;
    private final String description;
    private final boolean matchesNothing;

    public StringMatcher(List<Test> tests) {
        if (tests.isEmpty()) {
            throw new IllegalArgumentException("tests: [] (expected: at least one)");
        }
        matchesNothing = false;
        int n = tests.size();
        ops = new Op[n];
        values = new String[n];
        lists = new String[n][];
        sets = new Set<?>[n];
        for (int i = 0; i < n; i++) {
            Test t = tests.get(i);
            ops[i] = t.op();
            values[i] = t.value();
            lists[i] = t.values().toArray(String[]::new);
            sets[i] = new HashSet<>(t.values());
        }
        description = tests.stream().map(StringMatcher::describe).collect(Collectors.joining(" and "));
    }

    private StringMatcher() {
        ops = new Op[0];
        values = new String[0];
        lists = new String[0][];
        sets = new Set<?>[0];
        description = "has no value";
        matchesNothing = true;
    }

    /**
     * The matcher of a criterion without a value ({@code - email:}): Pomerium compares with null, which no
     * string equals, so it matches nothing.
     */
    public static StringMatcher nothing() {
        return new StringMatcher();
    }

    /** A matcher with the single test {@code is value}. */
    public static StringMatcher is(String value) {
        return new StringMatcher(List.of(Test.of(Op.IS, value)));
    }

    /** True when {@code s} passes every test. */
    public boolean matches(String s) {
        return matches(s, 0);
    }

    /** True when {@code s.substring(from)} passes every test, without making the substring. */
    public boolean matches(String s, int from) {
        if (matchesNothing || s == null || from < 0 || from > s.length()) {
            return false;
        }
        for (int i = 0; i < ops.length; i++) {
            if (!passes(i, s, from)) {
                return false;
            }
        }
        return true;
    }

    private boolean passes(int i, String s, int from) {
        String v = values[i];
        return switch (ops[i]) {
            case IS -> equalsFrom(s, from, v);
            case NOT -> !equalsFrom(s, from, v);
            case CONTAINS -> s.indexOf(v, from) >= 0;
            case STARTS_WITH -> s.startsWith(v, from);
            case ENDS_WITH -> s.length() - from >= v.length() && s.endsWith(v);
            case IN -> in(i, s, from);
            case NOT_IN -> !in(i, s, from);
        };
    }

    private boolean in(int i, String s, int from) {
        if (from == 0) {
            return sets[i].contains(s);
        }
        for (String v : lists[i]) {
            if (equalsFrom(s, from, v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsFrom(String s, int from, String v) {
        return s.length() - from == v.length() && s.startsWith(v, from);
    }

    /** The tests as written: {@code is alice@example.com}, {@code starts_with admin@ and ends_with .org}. */
    public String describe() {
        return description;
    }

    private static String describe(Test t) {
        return t.op().keyword() + " " + (t.op().takesList() ? "[" + String.join(", ", t.values()) + "]" : t.value());
    }
}
