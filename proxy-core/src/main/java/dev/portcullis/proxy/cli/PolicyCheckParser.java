package dev.portcullis.proxy.cli;

import dev.portcullis.policy.Identity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code check --config FILE --url URL [--email E] [--user ID] [--groups a,b]
 * [--claim name=value]... [--method GET] [--source-ip IP] [--time ISO-8601] [--cors-preflight]
 * [--anonymous]}. Without {@code --email} or {@code --user} the request is anonymous.
 */
final class PolicyCheckParser {
    static final String USAGE = """
              portcullis check --config FILE --url URL [--email E] [--user ID] [--groups a,b]
                               [--claim name=value]... [--method GET] [--source-ip IP]
                               [--time 2026-01-31T09:00:00Z] [--cors-preflight] [--anonymous]
                                                    what a route's policy decides for a person: exit 0 allow, 3 deny
            """;

    private PolicyCheckParser() {}

    static PolicyCheck.PolicyCheckArguments parse(List<String> args) throws CommandLine.UsageException {
        Optional<Path> config = Optional.empty();
        URI url = null;
        String email = null;
        String user = null;
        List<String> groups = new ArrayList<>();
        Map<String, Object> claims = new LinkedHashMap<>();
        String method = "GET";
        String sourceIp = "127.0.0.1";
        Optional<Instant> time = Optional.empty();
        boolean anonymous = false;
        boolean corsPreflight = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--config", "-config", "-c" -> config = Optional.of(Path.of(value(args, ++i, arg)));
                case "--url" -> url = url(value(args, ++i, arg));
                case "--email" -> email = value(args, ++i, arg);
                case "--user" -> user = value(args, ++i, arg);
                case "--groups" -> groups.addAll(List.of(value(args, ++i, arg).split("\\s*,\\s*")));
                case "--claim" -> addClaim(claims, value(args, ++i, arg));
                case "--method" -> method = value(args, ++i, arg).toUpperCase(Locale.ROOT);
                case "--source-ip" -> sourceIp = value(args, ++i, arg);
                case "--time" -> time = Optional.of(instant(value(args, ++i, arg)));
                case "--anonymous" -> anonymous = true;
                case "--cors-preflight" -> corsPreflight = true;
                default -> throw new CommandLine.UsageException("check: unknown argument \"" + arg + "\"");
            }
        }
        if (url == null) {
            throw new CommandLine.UsageException("check needs --url URL");
        }
        if (anonymous && (email != null || user != null || !groups.isEmpty() || !claims.isEmpty())) {
            throw new CommandLine.UsageException("check: --anonymous cannot be combined with --email, --user, --groups or --claim");
        }
        Optional<Identity> identity = Optional.empty();
        if (!anonymous && (email != null || user != null)) {
            identity = Optional.of(identity(user, email, groups, claims));
        } else if (!groups.isEmpty() || !claims.isEmpty()) {
            throw new CommandLine.UsageException("check: --groups and --claim describe a person: add --email or --user");
        }
        return new PolicyCheck.PolicyCheckArguments(config, url, identity, method, sourceIp, time, corsPreflight);
    }

    /** The identity as a session would hold it: the claims also carry sub, email and groups unless given. */
    private static Identity identity(String user, String email, List<String> groups, Map<String, Object> claims) {
        String userId = user != null ? user : "";
        Map<String, Object> all = new LinkedHashMap<>(claims);
        if (user != null) all.putIfAbsent("sub", user);
        if (email != null) all.putIfAbsent("email", email);
        if (!groups.isEmpty()) all.putIfAbsent("groups", List.copyOf(groups));
        return new Identity(userId, email, groups, all);
    }

    @SuppressWarnings("unchecked")
    private static void addClaim(Map<String, Object> claims, String nameValue) throws CommandLine.UsageException {
        int eq = nameValue.indexOf('=');
        if (eq <= 0) {
            throw new CommandLine.UsageException("check: --claim \"" + nameValue + "\" (expected: name=value)");
        }
        String name = nameValue.substring(0, eq);
        String value = nameValue.substring(eq + 1);
        claims.merge(name, value, (old, added) -> {
            List<Object> values = old instanceof List<?> list ? new ArrayList<>((List<Object>) list) : new ArrayList<>(List.of(old));
            values.add(added);
            return values;
        });
    }

    private static String value(List<String> args, int i, String option) throws CommandLine.UsageException {
        if (i >= args.size()) {
            throw new CommandLine.UsageException("check: " + option + " needs a value");
        }
        return args.get(i);
    }

    private static URI url(String text) throws CommandLine.UsageException {
        try {
            URI url = URI.create(text);
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getRawAuthority() == null) {
                throw new IllegalArgumentException();
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException("check: --url \"" + text + "\" (expected: an http(s) URL such as https://app.example.com/path)");
        }
    }

    private static Instant instant(String text) throws CommandLine.UsageException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.UsageException("check: --time \"" + text + "\" (expected: ISO-8601 such as 2026-01-31T09:00:00Z)");
        }
    }
}
