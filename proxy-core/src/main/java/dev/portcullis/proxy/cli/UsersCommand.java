package dev.portcullis.proxy.cli;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.builtin.Totp;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.builtin.UsersFileException;
import dev.portcullis.authn.invitation.Invitation;
import dev.portcullis.authn.invitation.Invitations;
import dev.portcullis.authn.passkey.PasskeyStore;
import dev.portcullis.proxy.pages.BuiltinSignInPage;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code portcullis users add|invite|list|remove|passwd|passkeys reset}: manages the built-in provider's users
 * file and, beside it, the passkeys file ({@link PasskeyStore}) and the invitations file ({@link Invitations}).
 * Where the users file is and where invitation links lead come from the arguments, the configuration and the
 * environment ({@link UsersSettings}). Every change of the users file goes through {@link UsersFile#update}, so
 * it never loses a change the proxy (an accepted invitation) or another command made meanwhile; a running proxy
 * sees it within seconds. Passwords are asked twice on the console without echo, or read as one line from
 * standard input when there is no console. Exit codes: 0 done, 2 a usage, password or file problem, printed on
 * standard error.
 */
final class UsersCommand {

    static final String USAGE = """
              portcullis users add EMAIL [--name N] [--groups a,b] [--totp] [--users-file FILE | --config FILE]
                                                    add a built-in user; asks for the password (or reads a line of
                                                    standard input); --totp prints an authenticator QR code
              portcullis users invite EMAIL [--name N] [--groups a,b] [--valid 24h] [--users-file FILE | --config FILE]
                                                    print a single-use link (valid 30m, 24h, 7d …, at most 30d) on which
                                                    the invited person chooses a password or registers a passkey
              portcullis users list|remove EMAIL|passwd EMAIL [--totp] [--users-file FILE | --config FILE]
                                                    list users, passkeys and invitations; remove a user (with their
                                                    passkeys and invitation); set a new password (and TOTP secret)
              portcullis users passkeys reset EMAIL [--users-file FILE | --config FILE]
                                                    remove all passkeys of a user
            """;
    static final int OK = 0;
    static final int ERROR = 2;
    static final String ISSUER = "Portcullis";
    private static final int SHORT_PASSWORD = 8;

    private final Map<String, String> environment;
    private final InputStream stdin;
    private final Optional<Console> console;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    UsersCommand(Map<String, String> environment, InputStream stdin, Optional<Console> console, PrintStream out,
            PrintStream err, Clock clock) {
        this.environment = requireNonNull(environment, "environment");
        this.stdin = requireNonNull(stdin, "stdin");
        this.console = requireNonNull(console, "console");
        this.out = requireNonNull(out, "out");
        this.err = requireNonNull(err, "err");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Runs {@code users ARGS...} (the arguments after {@code users}); returns the exit code. */
    int run(List<String> args) {
        try {
            UsersArguments arguments = UsersArguments.parse(args);
            UsersSettings settings = new UsersSettings(environment, arguments.usersFile(), arguments.config());
            Path file = settings.usersFile();
            return switch (arguments.action()) {
                case "add" -> add(file, arguments);
                case "invite" -> invite(file, arguments, settings);
                case "list" -> list(file);
                case "remove" -> remove(file, arguments.email());
                case UsersArguments.PASSKEYS_RESET -> resetPasskeys(file, arguments.email());
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

    private int add(Path file, UsersArguments arguments) throws Failure {
        String email = arguments.email();
        String exists = email + " is already in " + file + " (change the password with \"portcullis users passwd "
                + email + "\")";
        if (Files.exists(file) && read(file).find(email).isPresent()) {
            throw new Failure(exists);
        }
        BuiltinUser described = described(arguments);
        Optional<String> secret = arguments.totp() ? Optional.of(Totp.newSecret(new SecureRandom())) : Optional.empty();
        BuiltinUser user = new BuiltinUser(described.email(), described.name(), described.groups(),
                Optional.of(hashNewPassword()), secret);
        update(file, users -> {
            if (users.find(email).isPresent()) {
                throw new Refusal(exists);
            }
            return users.with(user);
        });
        out.println("added " + user.email() + " to " + file);
        secret.ifPresent(s -> printTotp(user.email(), s));
        return OK;
    }

    private int invite(Path file, UsersArguments arguments, UsersSettings settings) throws Failure {
        String email = arguments.email();
        described(arguments);
        if (Files.exists(file) && read(file).find(email).isPresent()) {
            throw new Failure(email + " is already a user in " + file + " (set a password with \"portcullis users passwd "
                    + email + "\", or let them register a passkey again after \"portcullis users passkeys reset " + email
                    + "\")");
        }
        String origin = settings.authenticateOrigin().toString();
        Instant now = clock.instant();
        Invitations invitations = new Invitations(Invitations.besideUsersFile(file));
        String token;
        try {
            token = invitations.invite(email, arguments.name().orElse(""), arguments.groups(), arguments.valid(), now);
        } catch (IOException e) {
            throw new Failure("cannot write the invitation: " + e.getMessage());
        }
        out.println("invited " + email + " until " + now.plus(arguments.valid()).truncatedTo(ChronoUnit.SECONDS)
                + "; send them this single-use link:");
        out.println(origin + BuiltinSignInPage.INVITATION_PATH + "?token=" + token);
        return OK;
    }

    private int list(Path file) throws Failure {
        List<BuiltinUser> users = read(file).users();
        UsersListing listing;
        try {
            listing = new UsersListing(users, new PasskeyStore(PasskeyStore.besideUsersFile(file)).current(),
                    new Invitations(Invitations.besideUsersFile(file)).pending(clock.instant()));
        } catch (IOException e) {
            throw new Failure(e.getMessage());
        }
        if (users.isEmpty()) {
            out.println("no users in " + file);
        }
        listing.lines().forEach(out::println);
        return OK;
    }

    private int remove(Path file, String email) throws Failure {
        Optional<BuiltinUser> user = read(file).find(email);
        if (user.isPresent()) {
            update(file, users -> users.without(email));
        }
        try {
            int passkeys = user.isPresent() ? new PasskeyStore(PasskeyStore.besideUsersFile(file)).resetFor(email) : 0;
            boolean withdrawn = new Invitations(Invitations.besideUsersFile(file)).withdraw(email);
            if (user.isEmpty() && !withdrawn) {
                throw new Failure("no user " + email + " in " + file);
            }
            if (user.isPresent()) {
                out.println("removed " + user.get().email() + " from " + file + " and " + count(passkeys, "passkey")
                        + (withdrawn ? "; withdrew the pending invitation" : ""));
            } else {
                out.println("withdrew the pending invitation of " + email + " (not a user)");
            }
        } catch (IOException e) {
            throw new Failure(e.getMessage());
        }
        return OK;
    }

    private int resetPasskeys(Path file, String email) throws Failure {
        try {
            int removed = new PasskeyStore(PasskeyStore.besideUsersFile(file)).resetFor(email);
            out.println("removed " + count(removed, "passkey") + " of " + email);
        } catch (IOException e) {
            throw new Failure(e.getMessage());
        }
        return OK;
    }

    private int passwd(Path file, UsersArguments arguments) throws Failure {
        String email = arguments.email();
        String missing = "no user " + email + " in " + file;
        BuiltinUser user = read(file).find(email).orElseThrow(() -> new Failure(missing));
        Optional<String> secret = arguments.totp() ? Optional.of(Totp.newSecret(new SecureRandom())) : Optional.empty();
        String hash = hashNewPassword();
        update(file, users -> {
            BuiltinUser current = users.find(email).orElseThrow(() -> new Refusal(missing));
            BuiltinUser changed = current.withPasswordHash(hash);
            return users.with(secret.isEmpty() ? changed : new BuiltinUser(changed.email(), changed.name(),
                    changed.groups(), changed.passwordHash(), secret));
        });
        out.println("changed the password of " + user.email() + " in " + file);
        secret.ifPresent(s -> printTotp(user.email(), s));
        return OK;
    }

    /** The user {@code arguments} describe, without password: refuses an email that is not an address. */
    private static BuiltinUser described(UsersArguments arguments) throws Failure {
        try {
            return new BuiltinUser(arguments.email(), arguments.name().orElse(""), arguments.groups(), Optional.empty(),
                    Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
    }

    private static String count(int count, String thing) {
        return count + " " + thing + (count == 1 ? "" : "s");
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

    /** Changes the users file under its lock; a {@link Refusal} thrown by {@code change} leaves it alone. */
    private static void update(Path file, UnaryOperator<UsersFile> change) throws Failure {
        try {
            UsersFile.update(file, change);
        } catch (Refusal e) {
            throw new Failure(e.getMessage());
        } catch (UsersFileException e) {
            throw new Failure(e.getMessage());
        } catch (IOException e) {
            throw new Failure("cannot write " + file + ": " + e);
        }
    }

    /** A problem the user can fix, printed as it is. */
    static final class Failure extends Exception {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** A change of the users file that must not apply, found under the lock; becomes a {@link Failure}. */
    private static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
