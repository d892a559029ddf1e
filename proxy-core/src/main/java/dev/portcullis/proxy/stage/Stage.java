package dev.portcullis.proxy.stage;

import java.util.concurrent.CompletionStage;

/**
 * One decision about a request. A stage reads the exchange, may record what it learned on it (the
 * route, the session …), and completes with a {@link Step}; it never blocks: what takes time
 * (an identity provider, a state store) completes the stage later. A stage that fails is answered
 * by the {@link Stages} that run it, failing closed.
 */
@FunctionalInterface
public interface Stage {
    CompletionStage<Step> apply(Exchange exchange);
}
