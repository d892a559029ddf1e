package dev.portcullis.authn.store;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether an id is used for the first time: a hand-off, a one-time code. The first
 * {@link #claim} of an id wins; every later claim of it, until {@code expiresAt}, loses. The id is
 * forgotten after {@code expiresAt}, since what it names is no longer accepted by then.
 *
 * <p>Fails closed: a store that cannot remember one more id answers {@code false}, and a store that
 * cannot be reached completes the stage exceptionally (the caller refuses, never accepts).
 */
public interface SingleUse {

    /**
     * Claims {@code id} until {@code expiresAt}.
     *
     * @return {@code true} when nobody claimed it before; {@code false} when it was claimed already
     */
    CompletionStage<Boolean> claim(String id, Instant expiresAt);
}
