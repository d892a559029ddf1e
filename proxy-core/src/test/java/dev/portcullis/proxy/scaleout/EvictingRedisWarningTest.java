package dev.portcullis.proxy.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.store.redis.RedisSingleUse;
import dev.portcullis.authn.store.redis.RedisStoreConnection;
import dev.portcullis.authn.store.redis.TestRedis;
import dev.portcullis.proxy.log.CapturedLog;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A Redis that may evict keys is named in a warning once connected; one that never evicts is not. */
class EvictingRedisWarningTest {

    @Test
    void aRedisThatEvictsIsWarnedAboutOnce() throws Exception {
        try (CapturedLog log = new CapturedLog(); TestRedis redis = TestRedis.start("--maxmemory-policy", "allkeys-lru");
                RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), Duration.ofSeconds(2))) {
            RedisSingleUse store = new RedisSingleUse(connection, "portcullis:test:");
            store.claim("a", Instant.now().plusSeconds(60)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            store.claim("b", Instant.now().plusSeconds(60)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!log.all().contains("maxmemory-policy allkeys-lru") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(log.lines()).filteredOn(l -> l.contains("may evict keys")).singleElement().asString()
                    .contains("maxmemory-policy allkeys-lru").contains("noeviction");
        }
    }

    @Test
    void aRedisThatNeverEvictsIsNotWarnedAbout() throws Exception {
        try (CapturedLog log = new CapturedLog(); TestRedis redis = TestRedis.start("--maxmemory-policy", "noeviction");
                RedisStoreConnection connection = new RedisStoreConnection(redis.uri(), Duration.ofSeconds(2))) {
            RedisSingleUse store = new RedisSingleUse(connection, "portcullis:test:");
            store.claim("a", Instant.now().plusSeconds(60)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            // the check is one more command on the same connection: once a later command is answered, it was too
            store.claim("b", Instant.now().plusSeconds(60)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(log.all()).doesNotContain("may evict keys");
        }
    }
}
