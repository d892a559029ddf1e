/**
 * What sign-in must remember between requests, behind small interfaces whose answers are
 * {@code CompletionStage}s (so a networked store never blocks an event loop), with their in-memory
 * implementations. A stage that completes exceptionally means the store could not answer: callers
 * fail closed.
 */
package dev.portcullis.authn.store;
