package dev.portcullis.policy.internal.eval;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A route's compiled rules: the conditions of its {@code allow} and {@code deny} rules, each one
 * operator ({@code routes[0].policy[0].allow.or}) or the rule made from the legacy options.
 *
 * @param routePath the route's YAML path, e.g. {@code routes[0]}
 * @param allow     conditions any one of which lets a request through
 * @param deny      conditions any one of which stops it, whatever allows it
 */
public record RuleSet(String routePath, List<Condition> allow, List<Condition> deny) {
    public RuleSet {
        requireNonNull(routePath, "routePath");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
    }

    /** Only {@code accept} allows, and nothing denies. */
    public boolean isPublic() {
        return !allow.isEmpty() && deny.isEmpty() && allow.stream().allMatch(Condition::acceptsEveryone);
    }

    /**
     * No allow rule at all (no criteria, a misspelt {@code allowed_users}, an empty list): whatever the
     * request, nothing can let it through.
     */
    public boolean letsNoOneIn() {
        return allow.isEmpty();
    }

    /** The rules in a few readable lines: {@code allow if email is alice@example.com}. */
    public String describe() {
        if (allow.isEmpty() && deny.isEmpty()) {
            return "no rules: denies everyone";
        }
        StringBuilder out = new StringBuilder();
        allow.forEach(c -> line(out, "allow if ", c));
        deny.forEach(c -> line(out, "deny if ", c));
        return out.toString();
    }

    private static void line(StringBuilder out, String prefix, Condition condition) {
        if (out.length() > 0) {
            out.append('\n');
        }
        out.append(prefix).append(condition.describe());
    }
}
