/**
 * The store replicas share sign-in state through ({@code databroker_storage_type: redis}): how the proxy connects
 * to it ({@link dev.portcullis.proxy.store.RedisSettings}), and how its being lost and found is told
 * ({@link dev.portcullis.proxy.store.StoreHealth}). The stores themselves are in {@code authn}'s
 * {@code store.redis}.
 */
package dev.portcullis.proxy.store;
