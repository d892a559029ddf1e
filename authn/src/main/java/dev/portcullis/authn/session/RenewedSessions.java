package dev.portcullis.authn.session;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The latest renewal of each session, by session id: a request that still carries the cookie (or
 * bearer token) from before a renewal gets the renewed session instead of renewing it again. Every
 * answer is a {@code CompletionStage}; one that fails means the store could not answer, and the
 * session is served as it is (renewal is not what keeps anyone out: revocation is).
 */
public interface RenewedSessions {

    /** The latest renewal of {@code sessionId}, if one is remembered and it has not expired. */
    CompletionStage<Optional<Session>> latest(String sessionId);

    /** Remembers {@code renewed} as the latest renewal of its session id, until it expires. */
    CompletionStage<Void> remember(Session renewed);
}
