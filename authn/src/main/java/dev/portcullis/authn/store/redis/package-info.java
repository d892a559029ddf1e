/**
 * The sign-in state stores kept in Redis, so that replicas behind one load balancer share them: a hand-off, code or TOTP
 * step used on one replica is refused by every other, and a session revoked on one is refused by all (each replica
 * answering from a local view kept current by pub/sub); a session renewed on one is served renewed by all (sealed, never
 * in clear). Every failure to reach Redis when it is needed completes the
 * answer with {@link dev.portcullis.authn.store.StoreUnavailable}: callers fail closed.
 */
package dev.portcullis.authn.store.redis;
