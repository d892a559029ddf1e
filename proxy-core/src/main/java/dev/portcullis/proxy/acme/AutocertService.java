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
 * {@link CertificateStore} already holds (a restart does not order again) and orders what is
 * missing; it renews each certificate by the {@link RenewalPolicy}, keeping the old one in
 * {@link #certificates()} until the new one is there; after a failure it tries again by the
 * {@link Backoff}. Each issuance, renewal and failure is logged (info, warn) with the name, never
 * with a key.
 *
 * <p>Threading: all the work runs on the service's own thread ({@code portcullis-autocert}, a
 * daemon platform thread); {@link #update} and {@link #certificates()} return at once and may be
 * called from any thread, an event loop included. The listener is called on the service thread
 * after every change, with the full current list; it must not block for long.
 */
public final class AutocertService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AutocertService.class);

    /** When to renew, how to back off, and the clock both read. */
    public record Timing(RenewalPolicy renewal, Backoff backoff, Clock clock) {
        public static final Timing DEFAULT = new Timing(RenewalPolicy.DEFAULT, Backoff.DEFAULT, Clock.systemUTC());

        public Timing {
            requireNonNull(renewal, "renewal");
            requireNonNull(backoff, "backoff");
            requireNonNull(clock, "clock");
        }
    }

    private final CertificateStore store;
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
    }

    public AutocertService(CertificateStore store, CertificateIssuer issuer, Timing timing,
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
    }

    /**
     * A service for the {@code autocert_*} settings, answering through {@code responses} with the
     * {@code available} challenge types. Creates {@code autocert_dir} when missing.
     */
    public static AutocertService create(Autocert settings, ChallengeResponses responses,
            Set<ChallengeType> available, Consumer<List<IssuedCertificate>> listener) throws IOException {
        CertificateStore store = new CertificateStore(settings.dir());
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
            log.warn("autocert: cannot read the stored certificate for {} ({}); ordering a new one", name, e.toString());
        }
        schedule(name, entry, Duration.ZERO);
    }

    private void obtain(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            return; // dropped by an update meanwhile
        }
        boolean renewal = entry.certificate.isPresent();
        try {
            IssuedCertificate issued = issuer.issue(Set.of(name));
            if (entries.get(name) != entry) {
                return;
            }
            entry.certificate = Optional.of(issued);
            entry.failures = 0;
            log.info("autocert: {} the certificate for {}, valid until {}", renewal ? "renewed" : "obtained", name, issued.notAfter());
            publish();
            scheduleRenewal(name, entry);
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
