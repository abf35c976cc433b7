package io.sluice.coordinator.concurrent;

/**
 * Notices that a periodic check did not run for a while: the process was paused (SIGSTOP, a long GC pause, a
 * suspended VM), starved of CPU, or the clock jumped ahead. Whoever judges others' silence must not judge it across
 * such a stall of its own, since nobody could reach it meanwhile.
 */
public final class StallDetector {

    private static final long NEVER = Long.MIN_VALUE;

    private final long toleranceMs;
    private long lastCheckMs = NEVER;

    /** @param toleranceMs the longest gap between two checks that is not a stall */
    public StallDetector(long toleranceMs) {
        this.toleranceMs = toleranceMs;
    }

    /** Records a check at {@code nowMs}: the stall before it in milliseconds, or 0 if the check came in time. */
    public long stallBefore(long nowMs) {
        long previous = lastCheckMs;
        lastCheckMs = nowMs;
        if (previous == NEVER || nowMs - previous <= toleranceMs) {
            return 0;
        }
        return nowMs - previous;
    }
}
