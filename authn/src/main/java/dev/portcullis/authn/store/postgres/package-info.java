/**
 * The sign-in state stores kept in PostgreSQL, as Pomerium keeps its databroker there, with the same semantics as
 * the Redis ones: a hand-off, code or TOTP step used on one replica is refused by every other, and a session revoked
 * on one is refused by all (each replica answering from a local view kept current by {@code LISTEN}/{@code NOTIFY}).
 * JDBC blocks, so every command runs on the store connection's own threads; every failure to reach PostgreSQL when
 * it is needed completes the answer with {@link dev.portcullis.authn.store.StoreUnavailable}: callers fail closed.
 */
package dev.portcullis.authn.store.postgres;
