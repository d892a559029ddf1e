package dev.portcullis.authn.store.postgres;

import dev.portcullis.authn.store.postgres.PostgresStoreConnection.Subscriber;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection that listens for notifications ({@code LISTEN}/{@code NOTIFY}), on a thread of its own,
 * {@code portcullis-postgres-listen}, started by the first subscription.
 *
 * <p>The thread waits for notifications ({@code PGConnection.getNotifications} with a timeout) and hands each to the
 * subscribers of its channel. After every {@code LISTEN} — the first, and every one on a new connection after a
 * loss — the channel's subscribers are told {@link Subscriber#subscribed()}, since what was sent meanwhile is lost.
 * A connection that fails is replaced a second later, for as long as it takes; one that answers nothing is noticed
 * by a {@code SELECT 1} every {@link #HEARTBEAT} (it fails after the command timeout).
 */
final class PostgresNotifications {
    /** How long one wait for notifications lasts: how soon a new subscription or {@link #close} is seen. */
    private static final int WAIT_MS = 250;
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNotifications.class);

    /** Opens a JDBC connection with the store's settings. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private record Subscription(String channel, Subscriber subscriber) {}

    private final Opener opener;
    private final Function<Throwable, String> describe;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private Thread thread;
    private volatile boolean closed;

    /** @param describe what a failure says, without secrets */
    PostgresNotifications(Opener opener, Function<Throwable, String> describe) {
        this.opener = opener;
        this.describe = describe;
    }

    /** Adds {@code subscriber} to {@code channel}; listened to within moments once PostgreSQL is reachable. */
    synchronized void subscribe(String channel, Subscriber subscriber) {
        subscriptions.add(new Subscription(channel, subscriber));
        if (thread == null && !closed) {
            thread = new Thread(this::listen, "portcullis-postgres-listen");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void listen() {
        boolean failedBefore = false;
        while (!closed) {
            try (Connection connection = opener.open()) {
                connection.setAutoCommit(true);
                if (failedBefore) {
                    LOG.info("Listening to PostgreSQL notifications again");
                    failedBefore = false;
                }
                listenOn(connection);
            } catch (SQLException | RuntimeException e) {
                if (!closed && !failedBefore) {
                    LOG.warn("Cannot listen to PostgreSQL notifications, trying again every {}: {}", RETRY,
                            describe.apply(e));
                }
                failedBefore = true;
            }
            pause();
        }
    }

    /** Listens on {@code connection} until it fails or this is closed. */
    private void listenOn(Connection connection) throws SQLException {
        PGConnection notifying = connection.unwrap(PGConnection.class);
        Map<Subscription, Boolean> listening = new IdentityHashMap<>();
        long heartbeatDue = System.nanoTime() + HEARTBEAT.toNanos();
        while (!closed) {
            for (Subscription subscription : subscriptions) {
                if (listening.put(subscription, true) == null) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("LISTEN \"" + subscription.channel() + "\"");
                    }
                    tell(() -> subscription.subscriber().subscribed());
                }
            }
            PGNotification[] received = notifying.getNotifications(WAIT_MS);
            if (received != null) {
                for (PGNotification notification : received) {
                    for (Subscription subscription : subscriptions) {
                        if (subscription.channel().equals(notification.getName())) {
                            tell(() -> subscription.subscriber().message(notification.getParameter()));
                        }
                    }
                }
            }
            if (System.nanoTime() - heartbeatDue > 0) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                heartbeatDue = System.nanoTime() + HEARTBEAT.toNanos();
            }
        }
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("A PostgreSQL notification subscriber failed ({})", e.getClass().getSimpleName());
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops listening; waits for the thread to end (about {@value #WAIT_MS} ms, or a command timeout). */
    void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
