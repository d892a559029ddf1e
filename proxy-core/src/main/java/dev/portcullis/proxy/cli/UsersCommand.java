package dev.portcullis.proxy.cli;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.builtin.Totp;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.builtin.UsersFileException;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code portcullis users add|list|remove|passwd}: manages the built-in provider's users file. The file
 * is named with {@code --users-file FILE}, or is the {@code builtin_users_file} of {@code --config FILE}
 * (the environment's {@code BUILTIN_USERS_FILE} winning, as when serving), or, with neither flag, the
 * environment's {@code BUILTIN_USERS_FILE}. When the configuration does not load as a whole (typically
 * because the users file does not exist yet), its {@code builtin_users_file} key is read from the YAML
 * directly. Passwords are asked twice on the console without echo, or read as one line from standard
 * input when there is no console. Exit codes: 0 done, 2 a usage, password or file problem, printed on
 * standard error.
 */
final class UsersCommand {

    static final String USAGE = """
              portcullis users add EMAIL [--name N] [--groups a,b] [--totp] [--users-file FILE | --config FILE]
                                                    add a built-in user; asks for the password (or reads a line of
                                                    standard input); --totp prints an authenticator QR code
              portcullis users list|remove EMAIL|passwd EMAIL [--totp] [--users-file FILE | --config FILE]
                                                    list, remove a user, or set a new password (and TOTP secret)
            """;
    static final int OK = 0;
    static final int ERROR = 2;
    static final String ISSUER = "Portcullis";
    private static final String USERS_FILE_VARIABLE = "BUILTIN_USERS_FILE";
    private static final int SHORT_PASSWORD = 8;

    private final Map<String, String> environment;
    private final InputStream stdin;
    private final Optional<Console> console;
    private final PrintStream out;
    private final PrintStream err;

    UsersCommand(Map<String, String> environment, InputStream stdin, Optional<Console> console, PrintStream out,
            PrintStream err) {
        this.environment = requireNonNull(environment, "environment");
        this.stdin = requireNonNull(stdin, "stdin");
        this.console = requireNonNull(console, "console");
        this.out = requireNonNull(out, "out");
        this.err = requireNonNull(err, "err");
    }

    /** Runs {@code users ARGS...} (the arguments after {@code users}); returns the exit code. */
    int run(List<String> args) {
        try {
            Arguments arguments = Arguments.parse(args);
            Path file = usersFile(arguments);
            return switch (arguments.action()) {
                case "add" -> add(file, arguments);
                case "list" -> list(file);
                case "remove" -> remove(file, arguments.email());
                default -> passwd(file, arguments);
            };
        } catch (CommandLine.UsageException e) {
            err.println("portcullis users: " + e.getMessage());
            err.print("Usage:\n" + USAGE);
            return ERROR;
        } catch (Failure e) {
            err.println("portcullis users: " + e.getMessage());
            return ERROR;
        }
    }

    private int add(Path file, Arguments arguments) throws Failure {
        UsersFile users = Files.exists(file) ? read(file) : UsersFile.empty();
        if (users.find(arguments.email()).isPresent()) {
            throw new Failure(arguments.email() + " is already in " + file + " (change the password with"
                    + " \"portcullis users passwd " + arguments.email() + "\")");
        }
        BuiltinUser described;
        try {
            described = new BuiltinUser(arguments.email(), arguments.name().orElse(""), arguments.groups(), Optional.empty(),
                    Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
        Optional<String> secret = arguments.totp() ? Optional.of(Totp.newSecret(new SecureRandom())) : Optional.empty();
        BuiltinUser user = new BuiltinUser(described.email(), described.name(), described.groups(),
                Optional.of(hashNewPassword()), secret);
        write(users.with(user), file);
        out.println("added " + user.email() + " to " + file);
        secret.ifPresent(s -> printTotp(user.email(), s));
        return OK;
    }

    private int list(Path file) throws Failure {
        List<BuiltinUser> users = read(file).users();
        if (users.isEmpty()) {
            out.println("no users in " + file);
            return OK;
        }
        int emailWidth = users.stream().mapToInt(u -> u.email().length()).max().orElse(0);
        int nameWidth = users.stream().mapToInt(u -> u.name().length()).max().orElse(0);
        for (BuiltinUser user : users) {
            String line = pad(user.email(), emailWidth) + "  " + pad(user.name(), nameWidth) + "  "
                    + pad(user.groups().isEmpty() ? "-" : String.join(",", user.groups()), 0)
                    + (user.totpSecret().isPresent() ? "  totp" : "");
            out.println(line.stripTrailing());
        }
        return OK;
    }

    private int remove(Path file, String email) throws Failure {
        UsersFile users = read(file);
        BuiltinUser user = users.find(email).orElseThrow(() -> new Failure("no user " + email + " in " + file));
        write(users.without(email), file);
        out.println("removed " + user.email() + " from " + file);
        return OK;
    }

    private int passwd(Path file, Arguments arguments) throws Failure {
        UsersFile users = read(file);
        String email = arguments.email();
        BuiltinUser user = users.find(email).orElseThrow(() -> new Failure("no user " + email + " in " + file));
        Optional<String> secret = arguments.totp() ? Optional.of(Totp.newSecret(new SecureRandom())) : user.totpSecret();
        BuiltinUser changed = new BuiltinUser(user.email(), user.name(), user.groups(), Optional.of(hashNewPassword()), secret);
        write(users.with(changed), file);
        out.println("changed the password of " + user.email() + " in " + file);
        if (arguments.totp()) {
            printTotp(user.email(), secret.get());
        }
        return OK;
    }

    private void printTotp(String email, String secret) {
        String uri = Totp.otpauthUri(ISSUER, email, secret);
        out.println("TOTP secret: " + secret);
        out.println("Scan this code with an authenticator app, or enter the secret by hand:");
        out.println(uri);
        out.print(TerminalQrCode.render(uri, console.isPresent()));
    }

    /** The new password, asked twice on the console or read from standard input, as its Argon2id hash. */
    private String hashNewPassword() throws Failure {
        char[] password = console.isPresent() ? askTwice(console.get()) : readLine();
        try {
            if (password.length == 0) {
                throw new Failure("the password is empty");
            }
            if (password.length < SHORT_PASSWORD) {
                err.println("warning: a password of fewer than " + SHORT_PASSWORD + " characters is easy to guess");
            }
            return PasswordHasher.hash(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] askTwice(Console console) throws Failure {
        char[] first = console.readPassword("Password: ");
        char[] second = console.readPassword("Password again: ");
        if (first == null || second == null) {
            throw new Failure("no password given");
        }
        boolean same = Arrays.equals(first, second);
        Arrays.fill(second, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            throw new Failure("the passwords differ; nothing was changed");
        }
        return first;
    }

    private char[] readLine() throws Failure {
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new Failure("no password given: standard input is empty (expected one line)");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new Failure("cannot read the password from standard input: " + e.getMessage());
        }
    }

    private static UsersFile read(Path file) throws Failure {
        try {
            return UsersFile.read(file);
        } catch (UsersFileException e) {
            throw new Failure(e.getMessage());
        }
    }

    private static void write(UsersFile users, Path file) throws Failure {
        try {
            users.write(file);
        } catch (IOException e) {
            throw new Failure("cannot write " + file + ": " + e);
        }
    }

    /** The file named on the command line, in the configuration, or in the environment. */
    private Path usersFile(Arguments arguments) throws Failure, CommandLine.UsageException {
        if (arguments.usersFile().isPresent()) {
            return arguments.usersFile().get();
        }
        if (arguments.config().isPresent()) {
            return fromConfig(arguments.config().get());
        }
        Optional<String> variable = Optional.ofNullable(environment.get(USERS_FILE_VARIABLE)).filter(v -> !v.isBlank());
        if (variable.isPresent()) {
            return Path.of(variable.get().strip());
        }
        throw new CommandLine.UsageException("users needs --users-file FILE or --config FILE");
    }

    private Path fromConfig(Path config) throws Failure {
        try {
            return new ConfigLoader(environment).load(Optional.of(config)).options().identityProvider().builtinUsersFile()
                    .orElseThrow(() -> new Failure(config + " sets no builtin_users_file (with idp_provider: builtin)"));
        } catch (ConfigException e) {
            // Typically the users file does not exist yet, which the loader refuses: read just the one key.
            return builtinUsersFileSetting(config).orElseThrow(() -> new Failure(config + " names no users file; its"
                    + " problems: " + e.problems().stream().map(Object::toString).collect(Collectors.joining("; "))));
        }
    }

    /**
     * {@code builtin_users_file} of a configuration that does not load as a whole: the environment's
     * {@code BUILTIN_USERS_FILE} when set (it wins, as when serving), else the YAML key.
     */
    private Optional<Path> builtinUsersFileSetting(Path config) {
        Optional<String> variable = Optional.ofNullable(environment.get(USERS_FILE_VARIABLE)).filter(v -> !v.isBlank());
        if (variable.isPresent()) {
            return Optional.of(Path.of(variable.get().strip()));
        }
        try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (document instanceof Map<?, ?> top && top.get("builtin_users_file") instanceof String path
                    && !path.isBlank()) {
                return Optional.of(Path.of(path.strip()));
            }
            return Optional.empty();
        } catch (IOException | YAMLException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(Math.max(0, width - value.length()));
    }

    /** A problem the user can fix, printed as it is. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** The parsed arguments after {@code users}. */
    record Arguments(String action, String email, Optional<String> name, List<String> groups, boolean totp,
            Optional<Path> usersFile, Optional<Path> config) {

        static Arguments parse(List<String> args) throws CommandLine.UsageException {
            if (args.isEmpty()) {
                throw new CommandLine.UsageException("users needs add, list, remove or passwd");
            }
            String action = args.get(0);
            if (!List.of("add", "list", "remove", "passwd").contains(action)) {
                throw new CommandLine.UsageException("users: unknown action \"" + action + "\" (expected: add, list,"
                        + " remove or passwd)");
            }
            String email = null;
            Optional<String> name = Optional.empty();
            List<String> groups = new ArrayList<>();
            boolean totp = false;
            Optional<Path> usersFile = Optional.empty();
            Optional<Path> config = Optional.empty();
            for (int i = 1; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--name" -> name = Optional.of(value(args, ++i, arg));
                    case "--groups" -> Arrays.stream(value(args, ++i, arg).split(","))
                            .map(String::strip).filter(g -> !g.isEmpty()).forEach(groups::add);
                    case "--totp" -> totp = true;
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
            if (describesUser && !action.equals("add") || totp && !(action.equals("add") || action.equals("passwd"))) {
                throw new CommandLine.UsageException("users " + action + ": --name and --groups go with add,"
                        + " --totp with add or passwd");
            }
            return new Arguments(action, email, name, List.copyOf(groups), totp, usersFile, config);
        }

        private static String value(List<String> args, int index, String option) throws CommandLine.UsageException {
            if (index >= args.size()) {
                throw new CommandLine.UsageException(option + " needs a value");
            }
            return args.get(index);
        }
    }
}
