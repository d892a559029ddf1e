package dev.portcullis.policy.internal.eval;

import static dev.portcullis.policy.internal.eval.Verdict.isHeld;
import static dev.portcullis.policy.internal.eval.Verdict.reasons;

import dev.portcullis.policy.AccessRequest;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A logical operator over a list of conditions, with Pomerium's meanings: {@code and} = all hold,
 * {@code or} = any holds, {@code not} = none holds (¬A ∧ ¬B), {@code nor} = not all hold (¬A ∨ ¬B).
 *
 * <p>Reasons merge as in Pomerium: every child is evaluated; a result that holds carries the reasons of
 * the children that made it hold, one that fails the reasons of the children that made it fail.
 */
public final class Operator implements Condition {

    /** The four operators. */
    public enum Kind {
        AND("and", false, true, "all of"),
        OR("or", false, false, "any of"),
        NOT("not", true, true, "none of"),
        NOR("nor", true, false, "not all of");

        private final String keyword;
        private final boolean negated;
        private final boolean needsAll;
        private final String phrase;

        Kind(String keyword, boolean negated, boolean needsAll, String phrase) {
            this.keyword = keyword;
            this.negated = negated;
            this.needsAll = needsAll;
            this.phrase = phrase;
        }

        /** The YAML key: {@code and}, {@code or}, {@code not}, {@code nor}. */
        public String keyword() {
            return keyword;
        }
    }

    private final Kind kind;
    private final String path;
    private final Condition[] children;
    private final String description;

    public Operator(Kind kind, String path, List<Condition> children) {
        if (children.isEmpty()) {
            throw new IllegalArgumentException(path + ": no conditions (expected: at least one)");
        }
        this.kind = kind;
        this.path = path;
        this.children = children.toArray(Condition[]::new);
        this.description = describe(kind, this.children);
    }

    public Kind kind() {
        return kind;
    }

    public List<Condition> children() {
        return List.of(children);
    }

    @Override
    public long evaluate(AccessRequest request) {
        long heldReasons = 0;
        long failedReasons = 0;
        int held = 0;
        for (Condition child : children) {
            long verdict = child.evaluate(request);
            if (isHeld(verdict) != kind.negated) {
                held++;
                heldReasons |= reasons(verdict);
            } else {
                failedReasons |= reasons(verdict);
            }
        }
        boolean holds = kind.needsAll ? held == children.length : held > 0;
        return holds ? Verdict.holds(heldReasons) : Verdict.fails(failedReasons);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Condition decidingPart(AccessRequest request) {
        if (children.length == 1 && (kind == Kind.AND || kind == Kind.OR)) {
            return children[0].decidingPart(request);
        }
        if (kind == Kind.OR) {
            for (Condition child : children) {
                if (isHeld(child.evaluate(request))) {
                    return child.decidingPart(request);
                }
            }
        }
        return this;
    }

    @Override
    public String explainFailure(AccessRequest request) {
        return switch (kind) {
            case AND -> Arrays.stream(children)
                    .filter(c -> !isHeld(c.evaluate(request)))
                    .map(c -> c.explainFailure(request))
                    .collect(Collectors.joining(" and "));
            case OR -> children.length == 1
                    ? children[0].explainFailure(request)
                    : Arrays.stream(children).map(c -> c.explainFailure(request))
                            .collect(Collectors.joining("; ", "one of (", ")"));
            case NOT -> description + ", but " + Arrays.stream(children)
                    .filter(c -> isHeld(c.evaluate(request)))
                    .map(Condition::describe)
                    .collect(Collectors.joining(" and ")) + " holds";
            case NOR -> description + ", but all hold";
        };
    }

    @Override
    public boolean acceptsEveryone() {
        return (kind == Kind.AND || kind == Kind.OR)
                && Arrays.stream(children).allMatch(Condition::acceptsEveryone);
    }

    private static String describe(Kind kind, Condition[] children) {
        if (children.length == 1 && (kind == Kind.AND || kind == Kind.OR)) {
            return children[0].describe();
        }
        return Arrays.stream(children).map(Condition::describe)
                .collect(Collectors.joining(", ", kind.phrase + " [", "]"));
    }
}
