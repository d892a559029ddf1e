package dev.portcullis.authn.builtin;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a TOTP code may be accepted for a user: only when its time step is later than
 * every step accepted for that user before, so an overheard code cannot be replayed (nor an older
 * one). A stage that fails means the steps could not be checked: the code is refused.
 */
public interface AcceptedTotpSteps {

    /**
     * Records {@code step} as the latest accepted for {@code user} when it is later than every step
     * accepted before; remembered until {@code forgetAfter}, when no code of that step (or an
     * earlier one) is accepted any more anyway.
     *
     * @return {@code true} when the step was later, and is now recorded; {@code false} when it, or a
     *         later one, was accepted before
     */
    CompletionStage<Boolean> acceptLater(String user, long step, Instant forgetAfter);
}
