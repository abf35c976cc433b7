package io.sluice.gateway.quota;

/**
 * A byte rate measured as Kafka's quotas measure it: over {@link #SAMPLES} samples of {@link #WINDOW_MS} each, the span
 * counted as at least all but one sample, and what is recorded over the quota yields the time the client must wait for
 * the rate to come back to it. Kafka's samples are 1 s ({@code quota.window.size.seconds}); these are 200 ms, so a
 * client bursts past its quota for at most 2 s, not 10, and its rate holds to the quota within seconds.
 */
final class ByteRate {

    static final int SAMPLES = 11;
    static final long WINDOW_MS = 200;
    /** Kafka's cap: a throttle never exceeds the whole measured span. */
    static final long MAX_THROTTLE_MS = SAMPLES * WINDOW_MS;

    private final long[] bytes = new long[SAMPLES];
    private final long[] starts = new long[SAMPLES];
    private int current;

    ByteRate(long nowMs) {
        starts[0] = nowMs;
        for (int i = 1; i < SAMPLES; i++) {
            starts[i] = Long.MIN_VALUE;
        }
    }

    /** Whether nothing was recorded within the measured span. */
    synchronized boolean idle(long nowMs) {
        return starts[current] <= nowMs - SAMPLES * WINDOW_MS;
    }

    /** Records {@code amount} at {@code nowMs}; returns how long the client must wait to be back within {@code quota}. */
    synchronized long record(long amount, long nowMs, double quota) {
        if (nowMs >= starts[current] + WINDOW_MS) {
            current = (current + 1) % SAMPLES;
            starts[current] = nowMs;
            bytes[current] = 0;
        }
        bytes[current] += amount;
        long total = 0;
        long oldest = nowMs;
        for (int i = 0; i < SAMPLES; i++) {
            if (starts[i] != Long.MIN_VALUE && starts[i] > nowMs - SAMPLES * WINDOW_MS) {
                total += bytes[i];
                oldest = Math.min(oldest, starts[i]);
            }
        }
        long spanMs = Math.max(nowMs - oldest, (SAMPLES - 1) * WINDOW_MS);
        double rate = total * 1_000.0 / spanMs;
        if (rate <= quota) {
            return 0;
        }
        return Math.min(MAX_THROTTLE_MS, (long) ((rate - quota) / quota * spanMs));
    }
}
