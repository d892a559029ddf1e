package dev.portcullis.proxy.cli;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.invitation.Invitation;
import dev.portcullis.authn.passkey.PasskeyCredential;
import dev.portcullis.authn.passkey.PasskeyFile;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code portcullis users list} prints, in file order and without hashes or secrets: one line per user (email,
 * name, groups, {@code totp}, and {@code passkey only} for a user without password, {@code no way to sign in} for a
 * user with neither password nor passkey), one indented line per passkey of that user (name, created, last used),
 * then, when there are any, the pending invitations (email, name, groups, expiry). Times are UTC, to the second.
 */
final class UsersListing {

    private final List<BuiltinUser> users;
    private final PasskeyFile passkeys;
    private final List<Invitation> invitations;

    UsersListing(List<BuiltinUser> users, PasskeyFile passkeys, List<Invitation> invitations) {
        this.users = List.copyOf(requireNonNull(users, "users"));
        this.passkeys = requireNonNull(passkeys, "passkeys");
        this.invitations = List.copyOf(requireNonNull(invitations, "invitations"));
    }

    /** The lines to print, each without its line break. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        int emailWidth = width(users.stream().map(BuiltinUser::email).toList(), invitations.stream().map(Invitation::email).toList());
        int nameWidth = width(users.stream().map(BuiltinUser::name).toList(), invitations.stream().map(Invitation::name).toList());
        for (BuiltinUser user : users) {
            List<PasskeyCredential> credentials = passkeys.credentials(user.email());
            String mark = user.passwordHash().isPresent() ? "" : credentials.isEmpty() ? "  no way to sign in" : "  passkey only";
            lines.add((columns(user.email(), user.name(), user.groups(), emailWidth, nameWidth)
                    + (user.totpSecret().isPresent() ? "  totp" : "") + mark).stripTrailing());
            credentials.forEach(credential -> lines.add("    passkey " + describe(credential)));
        }
        if (!invitations.isEmpty()) {
            lines.add("");
            lines.add("Pending invitations:");
            invitations.forEach(invitation -> lines.add(columns(invitation.email(), invitation.name(), invitation.groups(),
                    emailWidth, nameWidth) + "  expires " + time(invitation.expiresAt())));
        }
        return lines;
    }

    private static String describe(PasskeyCredential credential) {
        // the name was typed by the user, not the administrator: nothing in it may drive the terminal
        String shown = credential.name().codePoints()
                .map(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String name = shown.isEmpty() ? "(unnamed)" : "\"" + shown + "\"";
        return name + ", created " + time(credential.created()) + ", last used "
                + credential.lastUsed().map(UsersListing::time).orElse("never");
    }

    private static String columns(String email, String name, List<String> groups, int emailWidth, int nameWidth) {
        return pad(email, emailWidth) + "  " + pad(name, nameWidth) + "  " + (groups.isEmpty() ? "-" : String.join(",", groups));
    }

    private static int width(List<String> some, List<String> others) {
        return Stream.concat(some.stream(), others.stream()).mapToInt(String::length).max().orElse(0);
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(Math.max(0, width - value.length()));
    }
}
