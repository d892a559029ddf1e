package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link AcceptedTotpSteps} of a single proxy process (lost on restart: a code accepted just
 * before a restart can be used once more within its window). Never blocks; thread-safe. Steps are
 * forgotten once their {@code forgetAfter} passed, swept when more than {@value #SWEEP_ABOVE} users
 * are remembered.
 */
public final class MemoryAcceptedTotpSteps implements AcceptedTotpSteps {
    private static final int SWEEP_ABOVE = 1024;

    private final Map<String, Accepted> latest = new ConcurrentHashMap<>();
    private final Clock clock;

    /** @param clock tells which steps may be forgotten */
    public MemoryAcceptedTotpSteps(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<Boolean> acceptLater(String user, long step, Instant forgetAfter) {
        requireNonNull(user, "user");
        requireNonNull(forgetAfter, "forgetAfter");
        Instant now = clock.instant();
        if (latest.size() > SWEEP_ABOVE) {
            latest.values().removeIf(accepted -> !now.isBefore(accepted.forgetAfter()));
        }
        boolean[] later = {false};
        latest.compute(user, (key, last) -> {
            if (last != null && last.step() >= step && now.isBefore(last.forgetAfter())) {
                return last;
            }
            later[0] = true;
            return new Accepted(step, forgetAfter);
        });
        return CompletableFuture.completedFuture(later[0]);
    }

    private record Accepted(long step, Instant forgetAfter) {}
}
