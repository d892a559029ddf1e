package dev.portcullis.proxy.acme;

import dev.portcullis.config.Autocert;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a valid certificate for every host name it is given: one certificate per name, so a name
 * the ACME server refuses never holds back the others. At {@link #update} it loads what the
 * {@link AutocertStorage} already holds (a restart does not order again) and orders what is
 * missing; it renews each certificate by the {@link RenewalPolicy}, keeping the old one in
 * {@link #certificates()} until the new one is there; after a failure it tries again by the
 * {@link Backoff}. Each issuance, renewal and failure is logged (info, warn) with the name, never
 * with a key.
 *
 * <p>Shared storage (replicas on one Redis): before ordering it looks at the storage again and serves
 * a current certificate found there instead; it orders only while it holds the certificate's
 * {@linkplain AutocertStorage#lock issuance lock}, and while another replica holds it, it looks again
 * every {@link Timing#lockWait}. A certificate another replica stored is picked up when the storage
 * announces it ({@link AutocertStorage#watch}), and served without a restart. Storage unreachable: what
 * is served stays, and the next step is tried again after {@link Timing#storeRetry} (never an order
 * without the lock); a certificate obtained but not stored is served here and stored when it can be.
 *
 * <p>Threading: all the work runs on the service's own thread ({@code portcullis-autocert}, a
 * daemon platform thread); {@link #update} and {@link #certificates()} return at once and may be
 * called from any thread, an event loop included. The listener is called on the service thread
 * after every change, with the full current list; it must not block for long.
 */
public final class AutocertService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AutocertService.class);

    /**
     * When to renew, how to back off, the clock both read, how often to look for the certificate another
     * replica is ordering, and how soon to try again when the storage is unreachable.
     */
    public record Timing(RenewalPolicy renewal, Backoff backoff, Clock clock, Duration lockWait, Duration storeRetry) {
        public static final Timing DEFAULT = new Timing(RenewalPolicy.DEFAULT, Backoff.DEFAULT, Clock.systemUTC());

        public Timing {
            requireNonNull(renewal, "renewal");
            requireNonNull(backoff, "backoff");
            requireNonNull(clock, "clock");
            requireNonNull(lockWait, "lockWait");
            requireNonNull(storeRetry, "storeRetry");
            if (lockWait.isNegative() || lockWait.isZero()) {
                throw new IllegalArgumentException("lockWait: " + lockWait + " (expected: > 0)");
            }
            if (storeRetry.isNegative() || storeRetry.isZero()) {
                throw new IllegalArgumentException("storeRetry: " + storeRetry + " (expected: > 0)");
            }
        }

        /** Looking again every 5 s for a certificate another replica orders, and 10 s after the storage failed. */
        public Timing(RenewalPolicy renewal, Backoff backoff, Clock clock) {
            this(renewal, backoff, clock, Duration.ofSeconds(5), Duration.ofSeconds(10));
        }
    }

    /** How long one replica may hold a certificate's issuance lock: far longer than an order takes. */
    public static final Duration LOCK_LIFETIME = Duration.ofMinutes(15);

    private final AutocertStorage store;
    private final CertificateIssuer issuer;
    private final Timing timing;
    private final Consumer<List<IssuedCertificate>> listener;
    private final ScheduledExecutorService thread;
    /** Touched on the service thread only. */
    private final Map<String, Entry> entries = new HashMap<>();
    private volatile List<IssuedCertificate> current = List.of();

    private static final class Entry {
        Optional<IssuedCertificate> certificate = Optional.empty();
        ScheduledFuture<?> next;
        int failures;
        /** Another replica held the lock at the last look (logged once per wait). */
        boolean waiting;
        /** Obtained here but not yet in the storage. */
        Optional<IssuedCertificate> unsaved = Optional.empty();
    }

    public AutocertService(AutocertStorage store, CertificateIssuer issuer, Timing timing,
            Consumer<List<IssuedCertificate>> listener) {
        this.store = requireNonNull(store, "store");
        this.issuer = requireNonNull(issuer, "issuer");
        this.timing = requireNonNull(timing, "timing");
        this.listener = requireNonNull(listener, "listener");
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "portcullis-autocert");
            t.setDaemon(true);
            return t;
        });
        store.watch(() -> {
            try {
                thread.execute(this::pickUpStored);
            } catch (RejectedExecutionException closed) {
                // closing
            }
        });
    }

    /**
     * A service for the {@code autocert_*} settings keeping its state in {@code store} ({@code autocert_dir}, or the
     * Redis the replicas share), answering through {@code responses} with the {@code available} challenge types.
     */
    public static AutocertService create(Autocert settings, AutocertStorage store, ChallengeResponses responses,
            Set<ChallengeType> available, Consumer<List<IssuedCertificate>> listener) {
        CertificateIssuer issuer = new CertificateIssuer(settings, store, responses, available, Duration.ofMinutes(2));
        return new AutocertService(store, issuer, Timing.DEFAULT, listener);
    }

    /**
     * Sets the host names to hold certificates for (every route's {@code from} host and the
     * authenticate host), at start and again at each configuration reload: new names are loaded
     * from the store or ordered, dropped names are no longer renewed (their files stay). Returns at once.
     */
    public void update(Set<String> names) {
        Set<String> wanted = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        try {
            thread.execute(() -> apply(wanted));
        } catch (RejectedExecutionException closed) {
            log.debug("autocert: closed; ignoring the names {}", wanted);
        }
    }

    /** The certificates held now, one per name (sorted by name); never blocks. */
    public List<IssuedCertificate> certificates() {
        return current;
    }

    private void apply(Set<String> wanted) {
        entries.keySet().removeIf(name -> {
            if (wanted.contains(name)) {
                return false;
            }
            Entry dropped = entries.get(name);
            if (dropped.next != null) {
                dropped.next.cancel(false);
            }
            log.info("autocert: no longer keeping a certificate for {}", name);
            return true;
        });
        for (String name : wanted) {
            if (!entries.containsKey(name)) {
                Entry entry = new Entry();
                entries.put(name, entry);
                start(name, entry);
            }
        }
        publish();
    }

    private void start(String name, Entry entry) {
        try {
            Optional<IssuedCertificate> stored = store.load(Set.of(name));
            Instant now = timing.clock().instant();
            if (stored.isPresent() && !stored.get().expiredAt(now)) {
                entry.certificate = stored;
                log.info("autocert: using the stored certificate for {}, valid until {}", name, stored.get().notAfter());
                scheduleRenewal(name, entry);
                return;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("autocert: cannot read the stored certificate for {} ({}); looking again before ordering", name, e.getMessage());
        }
        schedule(name, entry, Duration.ZERO);
    }

    private void obtain(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            return; // dropped by an update meanwhile
        }
        boolean renewal = entry.certificate.isPresent();
        Optional<AutocertStorage.IssuanceLock> lock;
        try {
            if (adoptStored(name, entry)) {
                return;
            }
            lock = store.lock(Set.of(name));
        } catch (IOException e) {
            storageFailed(name, entry, renewal ? "renew" : "obtain", e);
            return;
        }
        if (lock.isEmpty()) {
            if (!entry.waiting) {
                log.info("autocert: another replica is ordering the certificate for {}; waiting for it", name);
                entry.waiting = true;
            }
            schedule(name, entry, timing.lockWait());
            return;
        }
        entry.waiting = false;
        try (AutocertStorage.IssuanceLock held = lock.get()) {
            if (adoptStored(name, entry)) {
                return; // stored by the replica that held the lock just before
            }
            order(name, entry, renewal);
        } catch (IOException e) {
            storageFailed(name, entry, renewal ? "renew" : "obtain", e);
        }
    }

    private void order(String name, Entry entry, boolean renewal) {
        try {
            IssuedCertificate issued = issuer.issue(Set.of(name));
            if (entries.get(name) != entry) {
                return;
            }
            entry.certificate = Optional.of(issued);
            entry.failures = 0;
            log.info("autocert: {} the certificate for {}, valid until {}", renewal ? "renewed" : "obtained", name, issued.notAfter());
            publish();
            entry.unsaved = Optional.of(issued);
            saveUnsaved(name, entry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        } catch (AcmeFailure | RuntimeException e) {
            if (entries.get(name) != entry) {
                return;
            }
            entry.failures++;
            Duration delay = timing.backoff().delay(entry.failures);
            log.warn("autocert: could not {} the certificate for {} (attempt {}): {}; trying again in {} s",
                    renewal ? "renew" : "obtain", name, entry.failures, e instanceof AcmeFailure ? e.getMessage() : e.toString(),
                    delay.toMillis() / 1000.0);
            schedule(name, entry, delay);
        }
    }

    /** Stores the certificate obtained here; while the storage cannot take it, tries again (and serves it meanwhile). */
    private void saveUnsaved(String name, Entry entry) {
        if (entries.get(name) != entry || entry.unsaved.isEmpty()) {
            return;
        }
        try {
            store.save(entry.unsaved.get());
            entry.unsaved = Optional.empty();
            scheduleRenewal(name, entry);
        } catch (IOException e) {
            log.warn("autocert: serving the new certificate for {}, but cannot store it yet ({}); trying again in {} s",
                    name, e.getMessage(), timing.storeRetry().toMillis() / 1000.0);
            if (!thread.isShutdown()) {
                entry.next = thread.schedule(() -> saveUnsaved(name, entry), timing.storeRetry().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void storageFailed(String name, Entry entry, String what, IOException e) {
        log.warn("autocert: cannot {} the certificate for {} now ({}); trying again in {} s",
                what, name, e.getMessage(), timing.storeRetry().toMillis() / 1000.0);
        schedule(name, entry, timing.storeRetry());
    }

    /**
     * Serves the stored certificate for {@code name} instead of ordering, when it is current (not due for renewal)
     * and not older than the one served; true when it did.
     */
    private boolean adoptStored(String name, Entry entry) throws IOException {
        if (entry.unsaved.isPresent()) {
            return false;
        }
        Optional<IssuedCertificate> stored = store.load(Set.of(name));
        Instant now = timing.clock().instant();
        if (stored.isEmpty() || !timing.renewal().renewAt(stored.get()).isAfter(now)
                || entry.certificate.filter(c -> c.notAfter().isAfter(stored.get().notAfter())).isPresent()) {
            return false;
        }
        if (!stored.equals(entry.certificate)) {
            log.info("autocert: serving the certificate for {} another replica stored, valid until {}", name, stored.get().notAfter());
            entry.certificate = stored;
            publish();
        }
        entry.failures = 0;
        entry.waiting = false;
        if (entry.next != null) {
            entry.next.cancel(false);
        }
        scheduleRenewal(name, entry);
        return true;
    }

    /** Another replica may have stored certificates: serve the current ones (on the service thread). */
    private void pickUpStored() {
        for (Map.Entry<String, Entry> named : Map.copyOf(entries).entrySet()) {
            try {
                adoptStored(named.getKey(), named.getValue());
            } catch (IOException e) {
                log.debug("autocert: cannot look at the stored certificate for {}: {}", named.getKey(), e.getMessage());
            }
        }
    }

    private void scheduleRenewal(String name, Entry entry) {
        Instant at = timing.renewal().renewAt(entry.certificate.orElseThrow());
        Duration delay = Duration.between(timing.clock().instant(), at);
        schedule(name, entry, delay.isNegative() ? Duration.ZERO : delay);
    }

    private void schedule(String name, Entry entry, Duration delay) {
        if (thread.isShutdown()) {
            return;
        }
        entry.next = thread.schedule(() -> obtain(name), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void publish() {
        List<IssuedCertificate> now = entries.values().stream()
                .flatMap(e -> e.certificate.stream())
                .sorted(Comparator.comparing(c -> c.names().iterator().next()))
                .toList();
        if (now.equals(current)) {
            return;
        }
        current = now;
        try {
            listener.accept(now);
        } catch (RuntimeException e) {
            log.warn("autocert: the certificate listener failed: {}", e.toString());
        }
    }

    /** Stops renewing; an issuance in progress is interrupted. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
