package dev.portcullis.proxy.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed arguments after {@code portcullis users}.
 *
 * @param action add, invite, list, remove, passwd or {@code passkeys reset}
 * @param email  the user's email; null for list
 * @param valid  how long an invitation works ({@code --valid}, default 24 h, at most 30 days)
 */
record UsersArguments(String action, String email, Optional<String> name, List<String> groups, boolean totp,
        Duration valid, Optional<Path> usersFile, Optional<Path> config) {

    static final String PASSKEYS_RESET = "passkeys reset";
    static final Duration DEFAULT_VALIDITY = Duration.ofHours(24);
    static final Duration LONGEST_VALIDITY = Duration.ofDays(30);
    private static final List<String> ACTIONS = List.of("add", "invite", "list", "remove", "passwd", "passkeys");
    private static final Pattern VALIDITY = Pattern.compile("([0-9]{1,6})([mhd])");

    static UsersArguments parse(List<String> args) throws CommandLine.UsageException {
        if (args.isEmpty()) {
            throw new CommandLine.UsageException("users needs add, invite, list, remove, passwd or passkeys reset");
        }
        String action = args.get(0);
        if (!ACTIONS.contains(action)) {
            throw new CommandLine.UsageException("users: unknown action \"" + action + "\" (expected: add, invite, list,"
                    + " remove, passwd or passkeys reset)");
        }
        int first = 1;
        if (action.equals("passkeys")) {
            if (args.size() < 2 || !args.get(1).equals("reset")) {
                throw new CommandLine.UsageException("users passkeys needs reset EMAIL");
            }
            action = PASSKEYS_RESET;
            first = 2;
        }
        String email = null;
        Optional<String> name = Optional.empty();
        List<String> groups = new ArrayList<>();
        boolean totp = false;
        Optional<Duration> valid = Optional.empty();
        Optional<Path> usersFile = Optional.empty();
        Optional<Path> config = Optional.empty();
        for (int i = first; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--name" -> name = Optional.of(value(args, ++i, arg));
                case "--groups" -> Arrays.stream(value(args, ++i, arg).split(","))
                        .map(String::strip).filter(g -> !g.isEmpty()).forEach(groups::add);
                case "--totp" -> totp = true;
                case "--valid" -> valid = Optional.of(validity(value(args, ++i, arg)));
                case "--users-file" -> usersFile = Optional.of(Path.of(value(args, ++i, arg)));
                case "--config", "-config", "-c" -> config = Optional.of(Path.of(value(args, ++i, arg)));
                default -> {
                    if (arg.startsWith("-") || email != null) {
                        throw new CommandLine.UsageException("users " + action + ": unknown argument \"" + arg + "\"");
                    }
                    email = arg;
                }
            }
        }
        boolean needsEmail = !action.equals("list");
        if (needsEmail && email == null) {
            throw new CommandLine.UsageException("users " + action + " needs an EMAIL");
        }
        if (!needsEmail && email != null) {
            throw new CommandLine.UsageException("users list: unknown argument \"" + email + "\"");
        }
        if (usersFile.isPresent() && config.isPresent()) {
            throw new CommandLine.UsageException("users: give --users-file FILE or --config FILE, not both");
        }
        boolean describesUser = name.isPresent() || !groups.isEmpty();
        boolean invite = action.equals("invite");
        if (describesUser && !(action.equals("add") || invite) || totp && !(action.equals("add") || action.equals("passwd"))
                || valid.isPresent() && !invite) {
            throw new CommandLine.UsageException("users " + action + ": --name and --groups go with add or invite,"
                    + " --totp with add or passwd, --valid with invite");
        }
        return new UsersArguments(action, email, name, List.copyOf(groups), totp, valid.orElse(DEFAULT_VALIDITY),
                usersFile, config);
    }

    /** {@code 30m}, {@code 24h}, {@code 7d}: more than nothing, at most {@link #LONGEST_VALIDITY}. */
    private static Duration validity(String text) throws CommandLine.UsageException {
        Matcher matcher = VALIDITY.matcher(text);
        String expected = " (expected: minutes, hours or days like 30m, 24h or 7d; more than 0, at most 30d)";
        if (!matcher.matches()) {
            throw new CommandLine.UsageException("--valid: \"" + text + "\"" + expected);
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration validity = switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
        if (validity.isZero() || validity.compareTo(LONGEST_VALIDITY) > 0) {
            throw new CommandLine.UsageException("--valid: \"" + text + "\"" + expected);
        }
        return validity;
    }

    private static String value(List<String> args, int index, String option) throws CommandLine.UsageException {
        if (index >= args.size()) {
            throw new CommandLine.UsageException(option + " needs a value");
        }
        return args.get(index);
    }
}
