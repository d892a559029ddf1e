package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.StoreUnavailable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections to PostgreSQL of the stores of a proxy process, and the one thing they ask of it: run a
 * transaction ({@link #ask}); plus one connection that listens for notifications ({@link #subscribe}), for the
 * stores that keep a local view.
 *
 * <p><b>Never on the caller's thread.</b> JDBC blocks, so every transaction runs on one of {@value #WORKERS} daemon
 * threads of this connection ({@code portcullis-postgres-N}), each with a JDBC connection of its own, and the answer
 * completes on that thread (or, when it timed out, on the JDK's {@code CompletableFuture} delay thread): callers must
 * not block in it, and resume on their own executor. Notifications arrive on one more thread,
 * {@code portcullis-postgres-listen}.
 *
 * <p><b>Fails closed, promptly.</b> Every answer completes within twice the command timeout, either with what the
 * transaction returned or exceptionally with {@link StoreUnavailable} — for a refused connection, a wrong password,
 * a timeout, an error from PostgreSQL (such as a full disk or a read-only standby) — never with a default value. The
 * connection's socket and each statement time out after the command timeout ({@code connectTimeout},
 * {@code socketTimeout}, {@code Connection.setNetworkTimeout}, {@code statement_timeout}); an answer that is still
 * not there at twice that fails anyway, and the JDBC connection that was running it is aborted.
 *
 * <p><b>Heals without a restart.</b> Nothing connects in the constructor, so a proxy starts while PostgreSQL is
 * unreachable; each worker opens its connection on its next transaction after a failure. A transaction that fails
 * because a connection used before was lost meanwhile (PostgreSQL restarted) is run once more on a new one: it may
 * have taken effect the first time, which can only use up an id or a code, or count an attempt twice — never accept
 * one. The tables are created on the first connection ({@code CREATE TABLE IF NOT EXISTS}) and again when a
 * transaction finds one missing (dropped: {@link PostgresDataLoss} then revokes what was issued before). Expired rows
 * are deleted every {@link #CLEANUP_INTERVAL}.
 *
 * <p>Nothing here logs or puts into a failure's message the password, the JDBC URL, a key or a value; failures carry
 * PostgreSQL's SQLSTATE and message (which name host and port), with no cause chain.
 */
public final class PostgresStoreConnection implements AutoCloseable {
    /** The default {@code tablePrefix}. */
    public static final String DEFAULT_TABLE_PREFIX = "portcullis_";
    /** Threads, hence JDBC connections, that run transactions. */
    static final int WORKERS = 3;
    static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(1);
    /** Transactions waiting for a worker, past which more are refused at once (PostgreSQL cannot keep up anyway). */
    private static final int MAX_WAITING = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStoreConnection.class);

    /** What runs on a worker, in a transaction that commits when it returns and rolls back when it throws. */
    @FunctionalInterface
    interface Transaction<T> {
        T run(Connection connection) throws SQLException;
    }

    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    /** Run on each newly opened worker connection, before its first command ({@link #whenConnected}). */
    private final List<Transaction<?>> connected = new CopyOnWriteArrayList<>();
    private final String url;
    private final Properties properties;
    private final String password;
    private final Duration commandTimeout;
    private final PostgresSchema schema;
    private final StoreObserver observer;
    private final Workers made = new Workers();
    private final ThreadPoolExecutor workers;
    private final Executor deadlines;
    private final PostgresNotifications notifications;
    private volatile boolean schemaCreated;
    private volatile boolean closed;

    /**
     * Tables named {@code portcullis_*}; nothing told of the commands.
     *
     * @param jdbcUrl        where PostgreSQL is, e.g. {@code jdbc:postgresql://db:5432/portcullis}
     * @param user           the role to connect as
     * @param password       its password; empty for none
     * @param commandTimeout how long a command, or opening a connection, may take before it fails
     */
    public PostgresStoreConnection(String jdbcUrl, String user, String password, Duration commandTimeout) {
        this(jdbcUrl, user, password, new Properties(), DEFAULT_TABLE_PREFIX, commandTimeout, StoreObserver.NONE);
    }

    /**
     * @param jdbcUrl        where PostgreSQL is, e.g. {@code jdbc:postgresql://db:5432/portcullis}
     * @param user           the role to connect as
     * @param password       its password; empty for none
     * @param ssl            passed to pgjdbc as they are, e.g. {@code sslmode=verify-full}, {@code sslrootcert},
     *                       {@code sslcert}, {@code sslkey}; empty: pgjdbc's defaults (and the URL's)
     * @param tablePrefix    put before every table and channel name, e.g. {@link #DEFAULT_TABLE_PREFIX}: lower case
     *                       letters, digits and {@code _}, at most 24; keeps deployments sharing a database apart
     * @param commandTimeout how long a command, or opening a connection, may take before it fails
     * @param observer       told of every transaction's answer or failure (the listening connection's are not)
     */
    public PostgresStoreConnection(String jdbcUrl, String user, String password, Properties ssl, String tablePrefix,
            Duration commandTimeout, StoreObserver observer) {
        this.url = requireNonNull(jdbcUrl, "jdbcUrl");
        requireNonNull(user, "user");
        this.password = requireNonNull(password, "password");
        requireNonNull(ssl, "ssl");
        this.schema = new PostgresSchema(tablePrefix);
        this.commandTimeout = requireNonNull(commandTimeout, "commandTimeout");
        this.observer = requireNonNull(observer, "observer");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout: " + commandTimeout + " (expected: > 0)");
        }
        if (!driver.acceptsURL(jdbcUrl)) {
            // Not the URL itself: it may hold a password.
            throw new IllegalArgumentException("jdbcUrl: not a PostgreSQL JDBC URL (expected: jdbc:postgresql://host:port/database)");
        }
        this.properties = new Properties();
        properties.putAll(ssl);
        properties.setProperty("user", user);
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        String seconds = Long.toString(Math.max(1, (commandTimeout.toMillis() + 999) / 1000));
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("socketTimeout", seconds);
        properties.setProperty("tcpKeepAlive", "true");
        properties.putIfAbsent("ApplicationName", "portcullis");
        // A queue that refuses past its bound, rather than a size() check before each offer (which would lock).
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_WAITING), made);
        this.deadlines = CompletableFuture.delayedExecutor(commandTimeout.toMillis() * 2, TimeUnit.MILLISECONDS,
                Runnable::run);
        this.notifications = new PostgresNotifications(this::open, this::describe);
        cleanUpEveryInterval();
    }

    private void cleanUpEveryInterval() {
        later(CLEANUP_INTERVAL, () -> {
            deleteExpired();
            cleanUpEveryInterval();
        });
    }

    /** The tables and channels of this connection's deployment. */
    PostgresSchema schema() {
        return schema;
    }

    /**
     * Runs {@code transaction} on a worker, committed when it returns; completes with what it returned, or with
     * {@link StoreUnavailable} when PostgreSQL could not answer within twice the command timeout.
     */
    <T> CompletionStage<T> ask(Transaction<T> transaction) {
        long start = System.nanoTime();
        Command<T> command = new Command<>(transaction);
        try {
            workers.execute(command);
            deadlines.execute(command::timedOut);
        } catch (RejectedExecutionException e) {
            command.answer.completeExceptionally(new PostgresFailure(closed || workers.isShutdown()
                    ? "the PostgreSQL store connection is closed"
                    : "more than " + MAX_WAITING + " commands are waiting for PostgreSQL"));
        }
        CompletionStage<T> answer = StoreUnavailable.asking(() -> command.answer);
        answer.whenComplete((value, failure) -> {
            long took = System.nanoTime() - start;
            if (failure == null) {
                observer.answered(took);
            } else {
                observer.failed(took, StoreUnavailable.of(failure));
            }
        });
        return answer;
    }

    /** What a subscriber of {@link #subscribe} is told, on the listening thread (it must not block). */
    interface Subscriber {
        /**
         * The channel is listened to: the first time, and again after every reconnect. Notifications sent while it
         * was not were missed; this is the moment to catch up.
         */
        void subscribed();

        /** A notification's payload sent on the channel. */
        void message(String payload);
    }

    /**
     * Listens to {@code channel} ({@code LISTEN}) on the connection kept for notifications, and tells
     * {@code subscriber}. Returns at once: the connection is opened in the background, and opened again every second
     * while PostgreSQL is unreachable.
     */
    void subscribe(String channel, Subscriber subscriber) {
        requireNonNull(channel, "channel");
        requireNonNull(subscriber, "subscriber");
        if (!closed) {
            notifications.subscribe(channel, subscriber);
        }
    }

    /** Runs {@code task} once after {@code delay} on a worker (it must not block); not once this is closed. */
    void later(Duration delay, Runnable task) {
        CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (closed) {
                return;
            }
            try {
                workers.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("A PostgreSQL store's scheduled task failed: {}", StoreUnavailable.describe(e));
                    }
                });
            } catch (RejectedExecutionException e) {
                // Closed meanwhile (then nothing), or too many commands waiting: try again after the delay.
                later(delay, task);
            }
        });
    }

    /** Deletes the rows that expired, as is done every {@link #CLEANUP_INTERVAL}; completes with how many. */
    CompletionStage<Integer> deleteExpired() {
        return ask(schema::deleteExpired);
    }

    /** Opens a JDBC connection with this connection's settings: timeouts, no auto-commit. */
    private Connection open() throws SQLException {
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL", "08001");
        }
        try {
            int millis = (int) Math.min(Integer.MAX_VALUE, commandTimeout.toMillis());
            connection.setNetworkTimeout(Runnable::run, millis);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = " + millis);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** A worker's connection, opened (and the tables created) unless it is open already. */
    private Connection openFor(Worker worker) throws SQLException {
        boolean opened = worker.connection == null;
        if (opened) {
            Connection connection = open();
            connection.setAutoCommit(false);
            worker.connection = connection;
        }
        if (!schemaCreated) {
            createSchema(worker.connection);
        }
        if (opened) {
            for (Transaction<?> hook : connected) {
                try {
                    inTransaction(worker.connection, hook);
                } catch (SQLException e) {
                    // The hook's own business (a check made again every second); a broken connection fails the
                    // command that follows on its own.
                }
            }
        }
        return worker.connection;
    }

    /**
     * Runs {@code hook} in a transaction of its own each time a worker opens a connection, before the command that
     * opened it: e.g. to look at the database's state before the first commands after it came up.
     */
    void whenConnected(Transaction<?> hook) {
        connected.add(requireNonNull(hook, "hook"));
    }

    private void createSchema(Connection connection) throws SQLException {
        Transaction<Void> createTables = c -> {
            schema.create(c);
            return null;
        };
        try {
            inTransaction(connection, createTables);
        } catch (SQLException e) {
            // Two replicas (or workers) creating the same table at once: one wins, the other's IF NOT EXISTS came too
            // early and fails on a unique index of the catalog; the second time, it finds the table.
            if (!List.of("23505", "42P07", "40P01").contains(e.getSQLState())) {
                throw e;
            }
            inTransaction(connection, createTables);
        }
        schemaCreated = true;
    }

    private static <T> T inTransaction(Connection connection, Transaction<T> transaction) throws SQLException {
        try {
            T value = transaction.run(connection);
            connection.commit();
            return value;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // The connection is broken; the worker discards it.
            }
            throw e;
        }
    }

    /**
     * What {@code failure} says, without the password: its SQLSTATE and message, and what went wrong at the bottom of
     * its causes (pgjdbc's "The connection attempt failed." hides a {@code SocketTimeoutException}, for one).
     */
    private String describe(Throwable failure) {
        String message = messageOf(failure);
        if (failure instanceof SQLException sql && sql.getSQLState() != null) {
            message = sql.getSQLState() + " " + message;
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != failure) {
            message += " (" + root.getClass().getSimpleName() + ": " + messageOf(root) + ")";
        }
        return password.isEmpty() ? message : message.replace(password, "****");
    }

    private static String messageOf(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** One transaction asked for, and its answer. */
    private final class Command<T> implements Runnable {
        private final Transaction<T> transaction;
        final CompletableFuture<T> answer = new CompletableFuture<>();
        private volatile Worker runningOn;

        Command(Transaction<T> transaction) {
            this.transaction = transaction;
        }

        @Override
        public void run() {
            if (answer.isDone()) {
                return; // timed out while waiting for a worker
            }
            Worker worker = (Worker) Thread.currentThread();
            runningOn = worker;
            try {
                answer.complete(runOn(worker));
            } catch (SQLException e) {
                answer.completeExceptionally(new PostgresFailure(describe(e)));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            } finally {
                runningOn = null;
            }
        }

        private T runOn(Worker worker) throws SQLException {
            boolean usedBefore = worker.connection != null;
            try {
                return inTransaction(openFor(worker), transaction);
            } catch (SQLException e) {
                boolean lost = worker.discardIfLost(e);
                boolean tableMissing = "42P01".equals(e.getSQLState());
                if (tableMissing) {
                    schemaCreated = false;
                }
                if (answer.isDone() || !(tableMissing || (lost && usedBefore))) {
                    throw e;
                }
                return inTransaction(openFor(worker), transaction);
            }
        }

        /** Twice the command timeout has passed: fails the answer, and aborts the connection still running it. */
        void timedOut() {
            if (answer.completeExceptionally(new PostgresFailure("PostgreSQL did not answer: timed out after "
                    + commandTimeout.multipliedBy(2).toMillis() + " ms"))) {
                Worker worker = runningOn;
                if (worker != null) {
                    worker.abort();
                }
            }
        }
    }

    /** A thread that runs transactions on a JDBC connection of its own. */
    private final class Worker extends Thread {
        /** Used by this thread only; read by {@link #abort} on a timeout. */
        private volatile Connection connection;

        Worker(Runnable task, int number) {
            super(task, "portcullis-postgres-" + number);
            setDaemon(true);
        }

        /** Closes the connection after a failure that broke it (the next transaction opens another). */
        boolean discardIfLost(SQLException failure) {
            Connection current = connection;
            boolean lost = current == null || isClosed(current) || isConnectionFailure(failure);
            if (lost && current != null) {
                connection = null;
                try {
                    current.close();
                } catch (SQLException ignored) {
                    // Broken already.
                }
            }
            return lost;
        }

        /** Closes the connection at stop (aborts it when this worker is still stuck in it). */
        void closeConnection() {
            Connection current = connection;
            if (current == null) {
                return;
            }
            connection = null;
            try {
                if (isAlive()) {
                    current.abort(Runnable::run);
                } else {
                    current.close();
                }
            } catch (SQLException | RuntimeException e) {
                LOG.debug("Could not close a PostgreSQL connection: {}", describe(e));
            }
        }

        /** Closes the socket under a transaction that takes too long, so that this worker is free again. */
        void abort() {
            Connection current = connection;
            if (current != null) {
                try {
                    current.abort(Runnable::run);
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("Could not abort a PostgreSQL connection: {}", describe(e));
                }
            }
        }

        private static boolean isClosed(Connection connection) {
            try {
                return connection.isClosed();
            } catch (SQLException e) {
                return true;
            }
        }

        /** Connection exceptions (08), and the server shutting down or ending the session (57P0x). */
        private static boolean isConnectionFailure(SQLException failure) {
            String state = failure.getSQLState();
            return state != null && (state.startsWith("08") || state.startsWith("57P0"));
        }
    }

    /** Makes the workers, numbered from 1. */
    private final class Workers implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();
        final List<Worker> workers = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Worker worker = new Worker(task, count.incrementAndGet());
            workers.add(worker);
            return worker;
        }
    }

    /** PostgreSQL could not answer, said without the password or the URL. An expected failure: no stack trace. */
    static final class PostgresFailure extends RuntimeException {
        PostgresFailure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Stops listening, stops the workers and closes their connections; transactions asked afterwards fail. Blocks
     * (at most about twice the command timeout): call it at stop.
     */
    @Override
    public void close() {
        closed = true;
        notifications.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(commandTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Worker worker : made.workers) {
            worker.closeConnection();
        }
    }
}
