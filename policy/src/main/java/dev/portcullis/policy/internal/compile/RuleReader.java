package dev.portcullis.policy.internal.compile;

import static dev.portcullis.policy.internal.compile.Problems.index;
import static dev.portcullis.policy.internal.compile.Problems.key;

import dev.portcullis.policy.internal.eval.Condition;
import dev.portcullis.policy.internal.eval.Operator;
import dev.portcullis.policy.internal.match.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@code policy:} document: a rule or a list of rules; each rule has {@code allow} and/or
 * {@code deny}, each holding operators ({@code and}, {@code or}, {@code not}, {@code nor}) over lists of
 * criteria. An operator with an empty list adds nothing (it matches no one), as in Pomerium. A list item may
 * itself be an operator ({@code - or: [...]}); Pomerium's parser does not allow that nesting, Portcullis does.
 */
public final class RuleReader {

    private static final List<String> ACTIONS = List.of("allow", "deny");
    private static final List<String> OPERATORS =
            Arrays.stream(Operator.Kind.values()).map(Operator.Kind::keyword).toList();

    private final Problems problems;
    private final CriterionReader criteria;
    private final List<Condition> allow = new ArrayList<>();
    private final List<Condition> deny = new ArrayList<>();

    public RuleReader(Problems problems) {
        this.problems = problems;
        this.criteria = new CriterionReader(problems);
    }

    public List<Condition> allow() {
        return List.copyOf(allow);
    }

    public List<Condition> deny() {
        return List.copyOf(deny);
    }

    /** Reads the route's {@code policy} value (null, a rule, or a list of rules) found at {@code path}. */
    public void readDocument(Object document, String path) {
        if (document == null) {
            return;
        }
        if (document instanceof Map<?, ?> rule) {
            readRule(rule, path);
        } else if (document instanceof List<?> rules) {
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i) instanceof Map<?, ?> rule) {
                    readRule(rule, index(path, i));
                } else {
                    problems.add(index(path, i), "expected a rule with allow and/or deny, found " + Scalars.kind(rules.get(i)));
                }
            }
        } else {
            problems.add(path, "expected a rule ({allow: …, deny: …}) or a list of rules, found " + Scalars.kind(document));
        }
    }

    /** An empty rule ({@code policy: {}}) adds nothing, as in Pomerium: with no other rule, no one gets in. */
    private void readRule(Map<?, ?> rule, String path) {
        rule.forEach((k, body) -> {
            String action = String.valueOf(k);
            switch (action) {
                case "allow" -> readBody(body, key(path, action), allow);
                case "deny" -> readBody(body, key(path, action), deny);
                default -> problems.add(path, "unknown action \"" + action + "\"" + Spelling.didYouMean(action, ACTIONS)
                        + "; expected allow or deny");
            }
        });
    }

    private void readBody(Object body, String path, List<Condition> into) {
        if (!(body instanceof Map<?, ?> operators)) {
            problems.add(path, "expected operators (and, or, not, nor) each with a list of criteria, found "
                    + Scalars.kind(body) + " (write e.g. " + path.substring(path.lastIndexOf('.') + 1)
                    + ": {or: [{email: {is: …}}]})");
            return;
        }
        operators.forEach((k, items) -> {
            String keyword = String.valueOf(k);
            Operator.Kind kind = kind(keyword);
            if (kind != null) {
                readOperator(kind, items, key(path, keyword), false).ifPresent(into::add);
            } else if (!keyword.equals("action")) {
                problems.add(path, unknownOperator(keyword));
            }
        });
    }

    private String unknownOperator(String keyword) {
        String name = keyword.contains("/") ? keyword.substring(0, keyword.indexOf('/')) : keyword;
        if (CriterionReader.NAMES.contains(name)) {
            return "\"" + keyword + "\" is a criterion, not an operator; put it in a list under and, or, not or nor,"
                    + " e.g. or: [{" + keyword + ": …}]";
        }
        return "unknown operator \"" + keyword + "\"" + Spelling.didYouMean(keyword, OPERATORS)
                + "; expected and, or, not, nor";
    }

    private Optional<Condition> readOperator(Operator.Kind kind, Object items, String path, boolean nested) {
        if (!(items instanceof List<?> list)) {
            String hint = items instanceof Map ? " (put a \"- \" before each criterion)" : "";
            problems.add(path, kind.keyword() + " needs a list of criteria, found " + Scalars.kind(items) + hint);
            return Optional.empty();
        }
        if (list.isEmpty()) {
            if (nested) {
                problems.add(path, kind.keyword() + " needs at least one criterion here");
            }
            return Optional.empty();
        }
        int before = problems.count();
        List<Condition> children = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            readItem(list.get(i), index(path, i)).ifPresent(children::add);
        }
        return problems.count() > before ? Optional.empty() : Optional.of(new Operator(kind, path, children));
    }

    private Optional<Condition> readItem(Object item, String path) {
        if (!(item instanceof Map<?, ?> map)) {
            problems.add(path, "expected a criterion such as {email: {is: …}}, found " + Scalars.kind(item));
            return Optional.empty();
        }
        if (map.size() != 1) {
            problems.add(path, "a criterion has exactly one key, found " + map.size()
                    + (map.isEmpty() ? "" : " (" + String.join(", ", map.keySet().stream().map(String::valueOf).toList()) + ")")
                    + "; write each criterion as its own list item");
            return Optional.empty();
        }
        Map.Entry<?, ?> entry = map.entrySet().iterator().next();
        String name = String.valueOf(entry.getKey());
        Operator.Kind kind = kind(name);
        if (kind != null) {
            return readOperator(kind, entry.getValue(), key(path, name), true);
        }
        return criteria.read(name, entry.getValue(), path);
    }

    private static Operator.Kind kind(String keyword) {
        for (Operator.Kind kind : Operator.Kind.values()) {
            if (kind.keyword().equals(keyword)) {
                return kind;
            }
        }
        return null;
    }
}
