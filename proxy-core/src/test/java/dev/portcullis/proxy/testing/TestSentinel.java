package dev.portcullis.proxy.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * One Redis Sentinel (Debian's {@code redis-sentinel}) on a loopback port, watching the primary named
 * {@value #MASTER} with a quorum of one and short timeouts: the primary is deemed down after {@link #DOWN_AFTER}, so
 * a test sees a failover within seconds. {@link #close} stops it and deletes its directory.
 */
public final class TestSentinel implements AutoCloseable {
    public static final String MASTER = "mymaster";
    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    private static final Duration START_WAIT = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private final Process process;
    private final RedisClient client;
    private final StatefulRedisSentinelConnection<String, String> connection;

    private TestSentinel(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.client = RedisClient.create();
        this.connection = client.connectSentinel(RedisURI.create("127.0.0.1", port));
    }

    /** A Sentinel watching the primary on {@code primaryPort}, answering once it is up. */
    public static TestSentinel watching(int primaryPort) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("portcullis-sentinel-");
        int port = TestIdentityProvider.freePort();
        // Sentinel rewrites its configuration file as it learns: it must be writable.
        Path config = Files.writeString(dir.resolve("sentinel.conf"), """
                port %1$d
                bind 127.0.0.1
                dir %2$s
                sentinel monitor %3$s 127.0.0.1 %4$d 1
                sentinel down-after-milliseconds %3$s %5$d
                sentinel failover-timeout %3$s 5000
                sentinel parallel-syncs %3$s 1
                """.formatted(port, dir, MASTER, primaryPort, DOWN_AFTER.toMillis()));
        Process process = new ProcessBuilder("redis-sentinel", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sentinel.log").toFile()))
                .start();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return new TestSentinel(dir, port, process);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        process.destroyForcibly();
        return Assertions.fail("redis-sentinel did not start; its output:\n"
                + Files.readString(dir.resolve("sentinel.log")));
    }

    public int port() {
        return port;
    }

    /** The port of the primary this Sentinel names now. */
    public int primaryPort() {
        SocketAddress address = connection.sync().getMasterAddrByName(MASTER);
        return ((InetSocketAddress) address).getPort();
    }

    /** Whether this Sentinel knows a replica of the primary that is linked to it and could take over. */
    public boolean knowsAHealthyReplica() {
        List<Map<String, String>> replicas = connection.sync().replicas(MASTER);
        return replicas.stream().anyMatch(replica -> replica.getOrDefault("flags", "").equals("slave")
                && "ok".equals(replica.get("master-link-status")));
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
