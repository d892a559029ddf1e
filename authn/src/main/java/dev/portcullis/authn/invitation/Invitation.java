package dev.portcullis.authn.invitation;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinUser;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One pending invitation: who is invited and as what, until when. Holds the SHA-256 digest of the token, never
 * the token, so the file on disk lets nobody accept an invitation.
 *
 * @param email       the invited email as the administrator gave it (compared case-insensitively)
 * @param name        the display name the user will have; may be empty
 * @param groups      the groups the user will have
 * @param created     when it was made
 * @param expiresAt   the first instant it no longer works
 * @param tokenDigest the SHA-256 digest of the token's UTF-8 bytes, base64url without padding
 */
public record Invitation(String email, String name, List<String> groups, Instant created, Instant expiresAt,
        String tokenDigest) {

    public Invitation {
        requireNonNull(email, "email");
        requireNonNull(name, "name");
        groups = List.copyOf(requireNonNull(groups, "groups"));
        requireNonNull(created, "created");
        requireNonNull(expiresAt, "expiresAt");
        requireNonNull(tokenDigest, "tokenDigest");
        if (!expiresAt.isAfter(created)) {
            throw new IllegalArgumentException("expiresAt: " + expiresAt + " (expected: after created, " + created + ")");
        }
    }

    /** The email lower-cased, as {@link BuiltinUser#normalizedEmail()}: the key of the invitations file. */
    public String normalizedEmail() {
        return BuiltinUser.normalize(email);
    }

    /**
     * The user accepting this invitation makes: its email, name and groups, the given password hash (none for
     * passkeys only), no TOTP secret.
     *
     * @throws IllegalArgumentException when the email is not an address
     */
    public BuiltinUser asUser(Optional<String> passwordHash) {
        return new BuiltinUser(email, name, groups, passwordHash, Optional.empty());
    }

    /** Whether it no longer works at {@code now}. */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
