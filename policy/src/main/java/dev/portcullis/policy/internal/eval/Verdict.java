package dev.portcullis.policy.internal.eval;

/**
 * A condition's result packed in one {@code long}, so evaluation allocates nothing: the top bit says
 * whether the condition holds, the low 32 bits are the set of {@link Reason}s that explain it.
 */
public final class Verdict {

    private static final long HOLDS = 1L << 63;
    private static final long REASONS = 0xFFFF_FFFFL;

    private Verdict() {
    }

    public static long holds(long reasons) {
        return HOLDS | reasons;
    }

    public static long fails(long reasons) {
        return reasons & REASONS;
    }

    public static long of(boolean holds, Reason reason) {
        return holds ? holds(reason.bit()) : fails(reason.bit());
    }

    public static boolean isHeld(long verdict) {
        return (verdict & HOLDS) != 0;
    }

    public static long reasons(long verdict) {
        return verdict & REASONS;
    }

    public static boolean has(long verdict, Reason reason) {
        return (verdict & reason.bit()) != 0;
    }
}
