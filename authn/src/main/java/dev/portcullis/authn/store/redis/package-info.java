/**
 * The single-use stores kept in Redis, so that replicas behind one load balancer share them: a hand-off or code
 * used on one replica is refused by every other. Every failure to reach Redis completes the answer with
 * {@link dev.portcullis.authn.store.StoreUnavailable}: callers fail closed.
 */
package dev.portcullis.authn.store.redis;
