package dev.portcullis.authn.store;

/**
 * A store's server run by a test ({@code TestRedis}, {@code TestPostgres}): what the contract tests do to it to see
 * what the stores answer when it cannot.
 */
public interface TestServer extends AutoCloseable {

    /** Stops the server; whether it keeps its data is the server's own (Redis here does not, PostgreSQL does). */
    void stop() throws Exception;

    /** Starts the server again on the same port (after {@link #stop}, or for the first time if never started). */
    void startAgain() throws Exception;

    /** Freezes the server: connections are accepted by the kernel, nothing is answered. */
    void pause() throws Exception;

    /** Lets a paused server go on. */
    void resume() throws Exception;

    /** Stops the server and deletes what it kept. */
    @Override
    void close();
}
