package dev.portcullis.authn.store;

/**
 * Told of every answer of a shared store: how long it took and whether the store could answer. Called on the
 * store client's threads, so it must be quick and never block. Nothing passed here holds a key, a value or a
 * password.
 */
public interface StoreObserver {
    /** Tells nothing to nobody. */
    StoreObserver NONE = new StoreObserver() {
        @Override
        public void answered(long nanos) {}

        @Override
        public void failed(long nanos, StoreUnavailable failure) {}
    };

    /** The store answered a command after {@code nanos}. */
    void answered(long nanos);

    /** The store could not answer a command ({@code failure} says why, without secrets) after {@code nanos}. */
    void failed(long nanos, StoreUnavailable failure);
}
