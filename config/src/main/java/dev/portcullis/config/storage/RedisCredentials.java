package dev.portcullis.config.storage;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What Redis's {@code AUTH} is given: a password, and with Redis 6's ACLs a user name. {@link #toString()} never
 * shows the password, so that a logged connection or a failed assertion does not reveal it.
 *
 * @param username the ACL user; empty for the {@code default} user ({@code redis://:password@host})
 * @param password percent-decoded
 */
public record RedisCredentials(Optional<String> username, String password) {

    public RedisCredentials {
        requireNonNull(username, "username");
        requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RedisCredentials[username=" + username.orElse("(default)") + ", password=(redacted)]";
    }
}
