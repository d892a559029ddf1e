package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.StoreUnavailable;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to Redis shared by the stores of a proxy process (Redis pipelines the commands of all callers on
 * it), and the commands they need: set a key once until an instant, get-and-delete a key, run a script, read every
 * key under a prefix; plus one pub/sub connection for the stores that keep a local view ({@link #subscribe}).
 *
 * <p><b>Fails closed, promptly.</b> Every answer completes within the command timeout (twice that when the connection
 * must be opened first), either with Redis's reply or
 * exceptionally with {@link StoreUnavailable} — for a refused connection, a timeout, a wrong password, an error reply
 * (such as {@code OOM} from a full Redis or {@code READONLY} from a replica) — never with a default value. While the
 * connection is down, commands are rejected at once rather than queued.
 *
 * <p><b>Heals without a restart.</b> The connection is opened by the first command, not by the constructor, so a
 * proxy starts while Redis is unreachable; a failed attempt is retried by the next command (one attempt at a time).
 * Once connected, Lettuce reconnects on its own after a loss, with a back-off of at most one second.
 *
 * <p>A command that timed out, or was cut off by a lost connection, may still reach Redis later (Lettuce sends again
 * what was in flight once it has reconnected). Its caller was told {@link StoreUnavailable} already; the late effect
 * can only use up an id or a code, never accept one.
 *
 * <p>Answers complete on one of Lettuce's threads: callers must not block in them, and resume on their own executor.
 * Needs Redis 6.2 or later ({@code PXAT}, {@code GETDEL}). Nothing here logs the password, a key or a value.
 *
 * <p>Lettuce runs on two threads of its own here. It could run on the proxy's event loops instead: Lettuce 7 asks
 * its {@code EventLoopGroupProvider} for a Netty 4.2 {@code MultiThreadIoEventLoopGroup} whatever the transport, and
 * a provider handing out the proxy's group (releasing nothing) was tried against a real Redis: the reply completed
 * on a proxy thread. Both must use the same transport — Lettuce, like the proxy's {@code Transport}, takes epoll
 * when it loads; with Lettuce's epoll turned off ({@code -Dio.lettuce.core.epoll=false}) connecting failed with
 * "incompatible event loop type".
 */
public final class RedisStoreConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStoreConnection.class);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> connection =
            new AtomicReference<>();
    private final List<StatefulRedisPubSubConnection<String, String>> subscriptions = new CopyOnWriteArrayList<>();
    private final StoreObserver observer;
    /** Run each time the command connection is opened (not on Lettuce's own reconnects of an open one). */
    private final List<Runnable> connected = new CopyOnWriteArrayList<>();
    private final AtomicBoolean evictionChecked = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param uri            where Redis is, with its password and database (Lettuce's {@code redis://} form)
     * @param commandTimeout how long a command, or opening the connection, may take before it fails
     */
    public RedisStoreConnection(RedisURI uri, Duration commandTimeout) {
        this(uri, Optional.empty(), commandTimeout, StoreObserver.NONE);
    }

    /**
     * @param uri            where Redis is, with its password and database (Lettuce's {@code redis://} form)
     * @param tls            which servers are trusted and what the client presents, for a TLS {@code uri};
     *                       empty: the JDK's trusted CAs, no client certificate
     * @param commandTimeout how long a command, or opening the connection, may take before it fails
     * @param observer       told of every command's answer or failure (the pub/sub connection's are not commands)
     */
    public RedisStoreConnection(RedisURI uri, Optional<SslOptions> tls, Duration commandTimeout,
            StoreObserver observer) {
        requireNonNull(uri, "uri");
        requireNonNull(tls, "tls");
        requireNonNull(commandTimeout, "commandTimeout");
        this.observer = requireNonNull(observer, "observer");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout: " + commandTimeout + " (expected: > 0)");
        }
        this.uri = withTimeout(uri, commandTimeout);
        this.resources = ClientResources.builder()
                // Lettuce's minimum; one connection needs no more.
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        ClientOptions.Builder options = ClientOptions.builder();
        tls.ifPresent(options::sslOptions);
        client.setOptions(options
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .build());
    }

    /** {@code uri} with {@code timeout}; {@code RedisURI.builder(uri)} alone drops a Sentinel URI's sentinels. */
    private static RedisURI withTimeout(RedisURI uri, Duration timeout) {
        RedisURI.Builder copy = RedisURI.builder(uri).withTimeout(timeout);
        if (uri.getSentinelMasterId() != null) {
            copy.withSentinelMasterId(uri.getSentinelMasterId());
            uri.getSentinels().forEach(copy::withSentinel);
        }
        return copy.build();
    }

    /**
     * Sets {@code key} to {@code value} unless it exists ({@code SET key value NX PXAT ms}); Redis forgets it at
     * {@code expiresAt} (at once when that has passed).
     *
     * @return {@code true} when this call set it; {@code false} when the key existed
     */
    CompletionStage<Boolean> setIfAbsent(String key, String value, Instant expiresAt) {
        // PXAT must be positive; any instant up to the epoch has passed all the same.
        SetArgs once = SetArgs.Builder.nx().pxAt(Math.max(1, expiresAt.toEpochMilli()));
        return ask(commands -> commands.set(key, value, once).thenApply("OK"::equals));
    }

    /** The value of {@code key}, which this call deletes ({@code GETDEL}); empty when there was none. */
    CompletionStage<Optional<String>> getAndDelete(String key) {
        return ask(commands -> commands.getdel(key).thenApply(Optional::ofNullable));
    }

    /** The value of {@code key}; empty when there is none. */
    CompletionStage<Optional<String>> get(String key) {
        return ask(commands -> commands.get(key).thenApply(Optional::ofNullable));
    }

    /**
     * Runs the Lua {@code script} ({@code EVAL}, so a write and its {@code PUBLISH} happen together or not at all).
     *
     * @return what the script returned, read as a status or bulk string reply
     */
    CompletionStage<String> run(String script, String[] keys, String... arguments) {
        return ask(commands -> commands.<String>eval(script, ScriptOutputType.VALUE, keys, arguments));
    }

    /**
     * Every key under {@code prefix} with its value ({@code SCAN MATCH prefix*}, then {@code MGET} of each batch);
     * keys that expire or appear meanwhile may or may not be in the answer.
     */
    CompletionStage<Map<String, String>> valuesUnder(String prefix) {
        ScanArgs matching = ScanArgs.Builder.matches(globEscaped(prefix) + "*").limit(1000);
        return ask(commands -> scanFrom(commands, ScanCursor.INITIAL, matching, new HashMap<>()));
    }

    private static CompletionStage<Map<String, String>> scanFrom(RedisAsyncCommands<String, String> commands,
            ScanCursor cursor, ScanArgs matching, Map<String, String> found) {
        return commands.scan(cursor, matching).thenCompose((KeyScanCursor<String> page) -> {
            CompletionStage<Void> read = page.getKeys().isEmpty() ? CompletableFuture.completedFuture(null)
                    : commands.mget(page.getKeys().toArray(String[]::new)).thenAccept(values -> {
                        for (KeyValue<String, String> value : values) {
                            value.ifHasValue(v -> found.put(value.getKey(), v));
                        }
                    });
            return read.thenCompose(done -> page.isFinished() ? CompletableFuture.completedFuture(found)
                    : scanFrom(commands, page, matching, found));
        });
    }

    private static String globEscaped(String prefix) {
        return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    /** What a subscriber of {@link #subscribe} is told, on one of Lettuce's threads (it must not block). */
    interface Subscriber {
        /**
         * The subscription is in place: the first time, and again after every reconnect. Messages published while
         * it was not were missed; this is the moment to catch up.
         */
        void subscribed();

        /** A message published on the channel. */
        void message(String message);
    }

    /**
     * Subscribes {@code subscriber} to {@code channel} on a pub/sub connection of its own (Redis allows nothing
     * else on one). Returns at once: the connection is opened in the background, tried again every
     * {@link #MAX_RECONNECT_DELAY} while Redis is unreachable (so a proxy that started without Redis catches up once
     * it is there), and once open Lettuce reconnects and subscribes again after every loss.
     */
    void subscribe(String channel, Subscriber subscriber) {
        requireNonNull(channel, "channel");
        requireNonNull(subscriber, "subscriber");
        openSubscription(channel, subscriber);
    }

    private void openSubscription(String channel, Subscriber subscriber) {
        if (closed) {
            return;
        }
        client.connectPubSubAsync(StringCodec.UTF8, uri).whenComplete((open, failure) -> {
            if (failure != null) {
                if (!closed) {
                    resources.eventExecutorGroup().schedule(() -> openSubscription(channel, subscriber),
                            MAX_RECONNECT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            open.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void subscribed(String subscribedChannel, long count) {
                    if (channel.equals(subscribedChannel)) {
                        subscriber.subscribed();
                    }
                }

                @Override
                public void message(String fromChannel, String message) {
                    if (channel.equals(fromChannel)) {
                        subscriber.message(message);
                    }
                }
            });
            subscriptions.add(open);
            if (closed) {
                open.closeAsync();
                return;
            }
            open.async().subscribe(channel).whenComplete((ok, notSubscribed) -> {
                if (notSubscribed != null) {
                    // Not a connection loss (Lettuce would subscribe again after it): start over with a new one.
                    subscriptions.remove(open);
                    open.closeAsync();
                    resources.eventExecutorGroup().schedule(() -> openSubscription(channel, subscriber),
                            MAX_RECONNECT_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        });
    }

    /**
     * Runs {@code hook} each time the command connection is opened — the first command's, or the next one's after an
     * attempt failed — on one of Lettuce's threads (it must not block): e.g. to look at Redis's state before the
     * commands that were waiting for the connection have done much.
     */
    void whenConnected(Runnable hook) {
        connected.add(requireNonNull(hook, "hook"));
    }

    /** Runs {@code task} once after {@code delay} on one of Lettuce's threads (it must not block). */
    void later(Duration delay, Runnable task) {
        if (!closed) {
            resources.eventExecutorGroup().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private <T> CompletionStage<T> ask(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        long start = System.nanoTime();
        CompletionStage<T> answer = StoreUnavailable.asking(() -> opened().thenCompose(open -> command.apply(open.async())));
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

    private CompletionStage<StatefulRedisConnection<String, String>> opened() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the Redis store connection is closed"));
        }
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        if (current != null && !current.isCompletedExceptionally()) {
            return current;
        }
        CompletableFuture<StatefulRedisConnection<String, String>> attempt = new CompletableFuture<>();
        if (!connection.compareAndSet(current, attempt)) {
            return connection.get();
        }
        CompletionStage<StatefulRedisConnection<String, String>> connecting;
        try {
            connecting = client.connectAsync(StringCodec.UTF8, uri);
        } catch (RuntimeException e) {
            // Thrown rather than returned: the attempt must still fail, or every later command would wait on it.
            connecting = CompletableFuture.failedFuture(e);
        }
        connecting.whenComplete((open, failure) -> {
            if (failure != null) {
                attempt.completeExceptionally(new CannotConnect(uri, failure));
            } else if (closed) {
                open.closeAsync();
                attempt.completeExceptionally(new IllegalStateException("the Redis store connection is closed"));
            } else {
                checkEviction(open);
                attempt.complete(open);
                connected.forEach(Runnable::run);
            }
        });
        return attempt;
    }

    /**
     * Warns, once per process, when Redis may evict keys under memory pressure: an evicted revocation would let a
     * signed-out session back in on a replica that starts later. A Redis that does not allow {@code CONFIG} (many
     * managed ones) is not checked.
     */
    private void checkEviction(StatefulRedisConnection<String, String> open) {
        if (!evictionChecked.compareAndSet(false, true)) {
            return;
        }
        open.async().configGet("maxmemory-policy").thenAccept(config -> {
            String policy = config.get("maxmemory-policy");
            if (policy != null && !policy.equals("noeviction")) {
                LOG.warn("Redis may evict keys when it is full (maxmemory-policy {}): a revocation it evicts is"
                        + " forgotten; set maxmemory-policy noeviction (docs/scale-out.md)", policy);
            }
        });
    }

    /**
     * Opening the connection failed, said with what went wrong at the bottom of Lettuce's causes (a refused
     * connection, {@code WRONGPASS}, {@code NOAUTH} …), which its own message hides. Names host and port only, never
     * the URI, which may hold the password. An expected failure: no stack trace.
     */
    private static final class CannotConnect extends RuntimeException {
        CannotConnect(RedisURI uri, Throwable failure) {
            super("cannot connect to Redis at " + uri.getHost() + ":" + uri.getPort() + ": " + rootOf(failure), failure,
                    false, false);
        }

        private static String rootOf(Throwable failure) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
    }

    /** Closes the connection and Lettuce's threads; commands asked afterwards fail. Blocks: call it at stop. */
    @Override
    public void close() {
        closed = true;
        for (StatefulRedisPubSubConnection<String, String> subscription : subscriptions) {
            subscription.close();
        }
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            current.join().close();
        }
        client.shutdown();
        resources.shutdown().awaitUninterruptibly();
    }
}
