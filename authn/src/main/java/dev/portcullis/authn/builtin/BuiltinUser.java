package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One person of the built-in users file. {@link #toString()} shows neither the password hash nor the
 * TOTP secret.
 *
 * @param email        the sign-in name, compared case-insensitively; must hold an {@code @}
 * @param name         the display name; empty when the file gives none
 * @param groups       group names, as policies see them in {@code groups}
 * @param passwordHash the Argon2id hash in PHC string format ({@link PasswordHasher}); empty for a user who signs
 *                     in with passkeys only, and can never sign in with a password
 * @param totpSecret   the base32 TOTP secret ({@link Totp}); present means a code is asked after the password
 */
public record BuiltinUser(String email, String name, List<String> groups, Optional<String> passwordHash,
        Optional<String> totpSecret) {

    public BuiltinUser {
        requireNonNull(email, "email");
        requireNonNull(name, "name");
        groups = List.copyOf(requireNonNull(groups, "groups"));
        requireNonNull(passwordHash, "passwordHash");
        requireNonNull(totpSecret, "totpSecret");
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1 || !email.equals(email.strip())) {
            throw new IllegalArgumentException("email: \"" + email + "\" (expected: an address like alice@example.com)");
        }
    }

    /** The email lower-cased: the key the file, the throttle and the provider's user id use. */
    public String normalizedEmail() {
        return normalize(email);
    }

    /** This user with another password hash. */
    public BuiltinUser withPasswordHash(String hash) {
        return new BuiltinUser(email, name, groups, Optional.of(requireNonNull(hash, "hash")), totpSecret);
    }

    /** {@code email} as {@link #normalizedEmail} has it (also for emails no user has: the throttle counts those too). */
    public static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "BuiltinUser[email=" + email + ", name=" + name + ", groups=" + groups + ", passwordHash=" + (passwordHash.isPresent() ? "(hidden)" : "none")
                + ", totp=" + (totpSecret.isPresent() ? "(hidden)" : "none") + "]";
    }
}
