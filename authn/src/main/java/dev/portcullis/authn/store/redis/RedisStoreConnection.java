package dev.portcullis.authn.store.redis;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreUnavailable;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One connection to Redis shared by the stores of a proxy process (Redis pipelines the commands of all callers on
 * it), and the two commands they need: set a key once until an instant, and get-and-delete a key.
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
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> connection =
            new AtomicReference<>();
    private volatile boolean closed;

    /**
     * @param uri            where Redis is, with its password and database (Lettuce's {@code redis://} form)
     * @param commandTimeout how long a command, or opening the connection, may take before it fails
     */
    public RedisStoreConnection(RedisURI uri, Duration commandTimeout) {
        requireNonNull(uri, "uri");
        requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout: " + commandTimeout + " (expected: > 0)");
        }
        this.uri = RedisURI.builder(uri).withTimeout(commandTimeout).build();
        this.resources = ClientResources.builder()
                // Lettuce's minimum; one connection needs no more.
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .build());
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

    private <T> CompletionStage<T> ask(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        return StoreUnavailable.asking(() -> opened().thenCompose(open -> command.apply(open.async())));
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
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((open, failure) -> {
            if (failure != null) {
                attempt.completeExceptionally(new CannotConnect(uri, failure));
            } else if (closed) {
                open.closeAsync();
                attempt.completeExceptionally(new IllegalStateException("the Redis store connection is closed"));
            } else {
                attempt.complete(open);
            }
        });
        return attempt;
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
        CompletableFuture<StatefulRedisConnection<String, String>> current = connection.get();
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
            current.join().close();
        }
        client.shutdown();
        resources.shutdown().awaitUninterruptibly();
    }
}
