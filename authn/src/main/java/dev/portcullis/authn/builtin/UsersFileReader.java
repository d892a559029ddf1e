package dev.portcullis.authn.builtin;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads the users file from SnakeYAML's node tree rather than from plain maps, because nodes carry the
 * line each value stands on: every problem is reported as {@code source:line: yaml.path: problem}.
 * Only the first problem is reported; the file is meant to be fixed one line at a time.
 */
final class UsersFileReader {

    private static final Set<String> USER_KEYS = Set.of("email", "name", "groups", "password", "totp");
    private static final int MAX_FILE_CODE_POINTS = 4 << 20;

    private final String source;

    UsersFileReader(String source) {
        this.source = source;
    }

    UsersFile read(String text) throws UsersFileException {
        Node root = compose(text);
        List<BuiltinUser> users = new ArrayList<>();
        if (root != null && !isNull(root)) {
            MappingNode top = mapping(root, "the file");
            Map<String, Node> entries = entries(top, "", Set.of("users"));
            Node list = entries.get("users");
            if (list == null) {
                throw problem(top, "users: missing (expected: users: followed by a list of users)");
            }
            if (!isNull(list)) {
                if (!(list instanceof SequenceNode sequence)) {
                    throw problem(list, "users: " + describe(list) + " (expected: a list of users)");
                }
                Map<String, Integer> seen = new HashMap<>();
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    BuiltinUser user = user(sequence.getValue().get(i), "users[" + i + "]");
                    Integer earlier = seen.putIfAbsent(user.normalizedEmail(), i);
                    if (earlier != null) {
                        Node emailNode = entries(mapping(sequence.getValue().get(i), ""), "", USER_KEYS).get("email");
                        throw problem(emailNode, "users[" + i + "].email: " + user.email() + " is already users["
                                + earlier + "] (expected: each email once)");
                    }
                    users.add(user);
                }
            }
        }
        return new UsersFile(header(text), users);
    }

    /** Whether YAML reads the plain scalar {@code value} as a string (not a number, boolean or null). */
    static boolean readsAsString(String value) {
        return new Resolver().resolve(NodeId.scalar, value, true).equals(Tag.STR);
    }

    private Node compose(String text) throws UsersFileException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(MAX_FILE_CODE_POINTS);
        options.setAllowDuplicateKeys(false);
        try {
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : "cannot be read";
            throw new UsersFileException(source, mark != null ? mark.getLine() + 1 : 0, "not valid YAML: " + what);
        } catch (YAMLException e) {
            throw new UsersFileException(source, 0, "not valid YAML: " + e.getMessage());
        }
    }

    private BuiltinUser user(Node node, String path) throws UsersFileException {
        MappingNode mapping = mapping(node, path);
        Map<String, Node> fields = entries(mapping, path + ".", USER_KEYS);
        String email = text(fields.get("email"), path + ".email").orElseThrow(() -> missing(mapping, path + ".email",
                "an address like alice@example.com"));
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1 || email.chars().anyMatch(Character::isWhitespace)) {
            throw problem(fields.get("email"), path + ".email: \"" + email + "\" (expected: an address like alice@example.com)");
        }
        String name = text(fields.get("name"), path + ".name").orElse("");
        List<String> groups = groups(fields.get("groups"), path + ".groups");
        Optional<String> hash = text(fields.get("password"), path + ".password");
        Optional<String> hashProblem = hash.flatMap(PasswordHasher::problem);
        if (hashProblem.isPresent()) {
            throw problem(fields.get("password"), path + ".password: " + hashProblem.get());
        }
        Optional<String> totp = text(fields.get("totp"), path + ".totp");
        if (totp.isPresent() && !Totp.isValidSecret(totp.get())) {
            throw problem(fields.get("totp"), path + ".totp: not a TOTP secret (expected: at least 16 base32 characters,"
                    + " letters A-Z and digits 2-7)");
        }
        return new BuiltinUser(email, name, groups, hash, totp);
    }

    private List<String> groups(Node node, String path) throws UsersFileException {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw problem(node, path + ": " + describe(node) + " (expected: a list like [family, admins])");
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            String element = path + "[" + i + "]";
            Node item = sequence.getValue().get(i);
            groups.add(text(item, element).orElseThrow(() -> problem(item, element + ": empty (expected: a group name)")));
        }
        return groups;
    }

    /** The non-empty text of a scalar; empty when the node is absent, null or blank. */
    private Optional<String> text(Node node, String path) throws UsersFileException {
        if (node == null || isNull(node)) {
            return Optional.empty();
        }
        if (!(node instanceof ScalarNode scalar)) {
            throw problem(node, path + ": " + describe(node) + " (expected: text)");
        }
        String value = scalar.getValue().strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private MappingNode mapping(Node node, String path) throws UsersFileException {
        if (!(node instanceof MappingNode mapping)) {
            throw problem(node, (path.isEmpty() ? "the file" : path) + ": " + describe(node)
                    + (path.equals("the file") ? " (expected: users: followed by a list of users)"
                            : " (expected: email, name, groups, password, totp)"));
        }
        return mapping;
    }

    /** The mapping's entries by key; an unknown, repeated or non-text key is a problem. */
    private Map<String, Node> entries(MappingNode mapping, String prefix, Set<String> allowed) throws UsersFileException {
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar)) {
                throw problem(keyNode, prefix + "(key): " + describe(keyNode) + " (expected: one of " + sorted(allowed) + ")");
            }
            String key = scalar.getValue();
            if (!allowed.contains(key)) {
                throw problem(keyNode, prefix + key + ": unknown key (expected: one of " + sorted(allowed) + ")");
            }
            if (entries.putIfAbsent(key, tuple.getValueNode()) != null) {
                throw problem(keyNode, prefix + key + ": given twice");
            }
        }
        return entries;
    }

    private UsersFileException missing(MappingNode mapping, String path, String expected) {
        return problem(mapping, path + ": missing (expected: " + expected + ")");
    }

    private UsersFileException problem(Node node, String message) {
        return new UsersFileException(source, node.getStartMark().getLine() + 1, message);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    private static String describe(Node node) {
        return switch (node.getNodeId()) {
            case mapping -> "a mapping";
            case sequence -> "a list";
            case scalar -> "\"" + ((ScalarNode) node).getValue() + "\"";
            default -> "an alias";
        };
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }

    /** The comment lines at the top of the file (blank lines between them kept), or the default header. */
    private static List<String> header(String text) {
        List<String> header = new ArrayList<>();
        int lastComment = -1;
        for (String line : text.lines().toList()) {
            if (line.startsWith("#")) {
                header.add(line);
                lastComment = header.size();
            } else if (line.isBlank()) {
                header.add("");
            } else {
                break;
            }
        }
        return lastComment < 0 ? UsersFile.DEFAULT_HEADER : header.subList(0, lastComment);
    }
}
