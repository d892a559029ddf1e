package dev.portcullis.proxy.acme;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.authn.store.redis.RedisAutocertStore;
import java.io.IOException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Autocert's storage shared by every replica on one Redis ({@link RedisAutocertStore}): one ACME account for all,
 * each certificate stored once as its private key followed by its chain (PEM) under the same name as
 * {@link CertificateStore}'s files, and a lock per certificate that one replica holds while it orders, for
 * {@code lockLifetime} at most (longer than an order may take: a replica that died while ordering holds nobody up
 * for longer), released when it is done. A saved certificate is announced to every replica's {@link #watch}.
 *
 * <p>Blocking: each call waits for Redis's answer (at most {@link #WAIT}); call it from the autocert thread, never
 * from an event loop. Redis unreachable: an {@link IOException} that says so.
 */
public final class RedisCertificateStore implements AutocertStorage {
    private static final Logger log = LoggerFactory.getLogger(RedisCertificateStore.class);
    /** Longer than the connection's command timeout (which answers first), a bound should it not. */
    static final Duration WAIT = Duration.ofSeconds(15);
    private static final String CERTIFICATE_BEGIN = "-----BEGIN CERTIFICATE-----";

    private final RedisAutocertStore redis;
    private final Duration lockLifetime;
    private final Clock clock;
    /** This process's id in the locks it holds. */
    private final String owner;

    public RedisCertificateStore(RedisAutocertStore redis, Duration lockLifetime, Clock clock) {
        this.redis = requireNonNull(redis, "redis");
        this.lockLifetime = requireNonNull(lockLifetime, "lockLifetime");
        if (lockLifetime.isNegative() || lockLifetime.isZero()) {
            throw new IllegalArgumentException("lockLifetime: " + lockLifetime + " (expected: > 0)");
        }
        this.clock = requireNonNull(clock, "clock");
        byte[] id = new byte[12];
        new SecureRandom().nextBytes(id);
        this.owner = HexFormat.of().formatHex(id);
    }

    @Override
    public KeyPair accountKey() throws IOException {
        Optional<String> stored = await(redis.account(), "read the ACME account key");
        if (stored.isEmpty()) {
            KeyPair created = CertificateStore.newEcKey();
            if (await(redis.createAccount(CertificateStore.accountKeyPem(created)), "store the ACME account key")) {
                return created;
            }
            stored = await(redis.account(), "read the ACME account key"); // another replica was first
        }
        return CertificateStore.accountKey(stored.orElseThrow(() -> new IOException(
                description() + ": the ACME account key vanished as it was read")), description() + " (account)");
    }

    @Override
    public Optional<IssuedCertificate> load(Set<String> names) throws IOException {
        Optional<String> stored = await(redis.certificate(CertificateStore.baseName(names)), "read a certificate");
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        int chainStart = stored.get().indexOf(CERTIFICATE_BEGIN);
        if (chainStart < 0) {
            return Optional.empty();
        }
        return CertificateStore.checked(names, stored.get().substring(chainStart), stored.get().substring(0, chainStart));
    }

    @Override
    public void save(IssuedCertificate certificate) throws IOException {
        String keyPem = certificate.keyPem().endsWith("\n") ? certificate.keyPem() : certificate.keyPem() + "\n";
        await(redis.saveCertificate(CertificateStore.baseName(certificate.names()), keyPem + certificate.chainPem()),
                "store a certificate");
    }

    @Override
    public Optional<IssuanceLock> lock(Set<String> names) throws IOException {
        String name = CertificateStore.baseName(names);
        if (!await(redis.lock(name, owner, clock.instant().plus(lockLifetime)), "take the issuance lock")) {
            return Optional.empty();
        }
        return Optional.of(() -> redis.unlock(name, owner).whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("autocert: could not release the issuance lock of {} ({}); it expires within {}", name,
                        StoreUnavailable.of(failure).getMessage(), lockLifetime);
            }
        }));
    }

    @Override
    public void watch(Runnable changed) {
        requireNonNull(changed, "changed");
        redis.watch(name -> changed.run());
    }

    @Override
    public String description() {
        return "Redis (keys under " + redis.keyPrefix() + ")";
    }

    private <T> T await(CompletionStage<T> answer, String what) throws IOException {
        try {
            return answer.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot " + what + " in " + description() + ": "
                    + StoreUnavailable.of(e.getCause()).getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("cannot " + what + " in " + description() + ": no answer within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to " + what + " in " + description(), e);
        }
    }
}
