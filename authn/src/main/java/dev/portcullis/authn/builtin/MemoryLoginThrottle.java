package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LoginThrottle} of a single proxy process (lost on restart, not shared between
 * replicas); every answer is complete when returned and never fails.
 *
 * <p>Slows password and code guessing. Failed attempts are counted per account (the email as typed,
 * lower-cased, whether or not such a user exists, so throttling reveals nothing) and per client
 * address. A counter forgets its failures {@link #WINDOW 15 minutes} after the last one. From the
 * {@link #THRESHOLD 5th} failure in that window on, the account or address is locked for a delay that
 * doubles with each further failure: 1 s, 2 s, 4 s ... up to {@link #MAX_DELAY 5 minutes}; an attempt
 * during the lock is answered {@code Throttled} without looking at the password and is not counted.
 * A lock always ends on its own, at most 5 minutes after the last failure, so nobody can lock an
 * account for longer than they keep guessing. A success resets the account's counter, not the
 * address's (a household sharing one address with a guesser is not let off by a sign-in elsewhere).
 *
 * <p>Attempts in flight count towards the threshold, so firing many guesses at once does not get
 * past it before the failures are recorded. One WARN line is logged when an account or address
 * becomes locked; never a password. Memory is bounded by {@code maxEntries}: past it, forgotten
 * counters are swept and, if still too many, those that matter soonest-to-expire are dropped.
 */
public final class MemoryLoginThrottle implements LoginThrottle {

    // The rules, public so that a throttle shared by replicas (RedisLoginThrottle) follows exactly these.
    /** The failure within {@link #WINDOW} from which on the account or address is locked. */
    public static final int THRESHOLD = 5;
    /** How long after its last failure a counter forgets its failures. */
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /** The lock after the {@link #THRESHOLD}th failure, doubling with each further one. */
    public static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    /** The longest lock. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(5);
    static final int DEFAULT_MAX_ENTRIES = 100_000;
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
    private static final CompletionStage<Optional<Duration>> GO = CompletableFuture.completedFuture(Optional.empty());

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Clock clock;
    private final int maxEntries;

    /** A throttle reading the time from {@code clock}, remembering at most {@value #DEFAULT_MAX_ENTRIES} counters. */
    public MemoryLoginThrottle(Clock clock) {
        this(clock, DEFAULT_MAX_ENTRIES);
    }

    MemoryLoginThrottle(Clock clock, int maxEntries) {
        this.clock = requireNonNull(clock, "clock");
        if (maxEntries < 10) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 10)");
        }
        this.maxEntries = maxEntries;
    }

    @Override
    public CompletionStage<Optional<Duration>> begin(String email, String address) {
        Instant now = clock.instant();
        String account = accountKey(email);
        String client = addressKey(address);
        Duration wait = max(waitFor(account, now), waitFor(client, now));
        if (!wait.isZero()) {
            return CompletableFuture.completedFuture(Optional.of(wait));
        }
        counters.compute(account, (key, counter) -> current(counter, now).inFlight(+1));
        counters.compute(client, (key, counter) -> current(counter, now).inFlight(+1));
        sweepIfFull(now);
        return GO;
    }

    @Override
    public CompletionStage<Void> failed(String email, String address) {
        Instant now = clock.instant();
        fail(accountKey(email), "account " + ThrottledName.printable(email), now);
        fail(addressKey(address), "client address " + ThrottledName.printable(address), now);
        return DONE;
    }

    @Override
    public CompletionStage<Void> succeeded(String email, String address) {
        Instant now = clock.instant();
        counters.remove(accountKey(email));
        counters.computeIfPresent(addressKey(address), (key, counter) -> current(counter, now).inFlight(-1));
        return DONE;
    }

    @Override
    public CompletionStage<Void> finished(String email, String address) {
        Instant now = clock.instant();
        counters.computeIfPresent(accountKey(email), (key, counter) -> current(counter, now).inFlight(-1));
        counters.computeIfPresent(addressKey(address), (key, counter) -> current(counter, now).inFlight(-1));
        return DONE;
    }

    int size() {
        return counters.size();
    }

    private Duration waitFor(String key, Instant now) {
        Counter counter = counters.get(key);
        if (counter == null) {
            return Duration.ZERO;
        }
        if (counter.lockedUntil.isAfter(now)) {
            return Duration.between(now, counter.lockedUntil);
        }
        Counter live = current(counter, now);
        // One attempt at a time once the next failure would lock: it cannot race past the lock.
        return live.inFlight > 0 && live.failures + live.inFlight >= THRESHOLD ? FIRST_DELAY : Duration.ZERO;
    }

    private void fail(String key, String who, Instant now) {
        Counter after = counters.compute(key, (k, counter) -> current(counter, now).inFlight(-1).failure(now));
        if (after.failures == THRESHOLD) {
            log.warn("sign-in throttled: {} had {} failed attempts within {} minutes; locked for {} s, doubling with"
                    + " each further failure up to {} minutes", who, THRESHOLD, WINDOW.toMinutes(),
                    Duration.between(now, after.lockedUntil).toSeconds(), MAX_DELAY.toMinutes());
        }
    }

    /** The counter as it stands at {@code now}: failures older than the window forgotten. */
    private static Counter current(Counter counter, Instant now) {
        if (counter == null) {
            return new Counter(0, Instant.MIN, Instant.MIN, 0);
        }
        if (!counter.lastFailure.plus(WINDOW).isAfter(now)) {
            return new Counter(0, Instant.MIN, counter.lockedUntil, counter.inFlight);
        }
        return counter;
    }

    private void sweepIfFull(Instant now) {
        if (counters.size() <= maxEntries) {
            return;
        }
        counters.entrySet().removeIf(entry -> entry.getValue().forgottenBy(now));
        if (counters.size() > maxEntries) {
            List<Map.Entry<String, Counter>> all = new ArrayList<>(counters.entrySet());
            all.sort(Comparator.comparing(entry -> entry.getValue().lastFailure));
            for (Map.Entry<String, Counter> entry : all.subList(0, counters.size() - maxEntries * 9 / 10)) {
                counters.remove(entry.getKey(), entry.getValue());
            }
        }
    }

    private static String accountKey(String email) {
        return "account:" + BuiltinUser.normalize(requireNonNull(email, "email"));
    }

    private static String addressKey(String address) {
        return "address:" + requireNonNull(address, "address");
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** {@code value} without control characters and cut short, so a made-up email cannot forge log lines. */

    /** One account's or address's state; immutable, replaced atomically in the map. */
    private record Counter(int failures, Instant lastFailure, Instant lockedUntil, int inFlight) {

        Counter inFlight(int change) {
            return new Counter(failures, lastFailure, lockedUntil, Math.max(0, inFlight + change));
        }

        Counter failure(Instant now) {
            int count = failures + 1;
            Instant until = lockedUntil;
            if (count >= THRESHOLD) {
                int doublings = Math.min(count - THRESHOLD, 30);
                Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
                until = now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
            }
            return new Counter(count, now, until, inFlight);
        }

        boolean forgottenBy(Instant now) {
            return inFlight == 0 && !lastFailure.plus(WINDOW).isAfter(now) && !lockedUntil.isAfter(now);
        }
    }
}
