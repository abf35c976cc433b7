package io.sluice.gateway.quota;

/**
 * A client's bytes held to its quota as a token bucket, as Kafka's KIP-599 rate limiter holds controller mutations: a
 * client may send {@link #BURST_MS} worth of its quota at once, then at the quota's rate; what it sends beyond is a debt
 * it waits out. Unlike a rate averaged over sampled windows, a debt is not forgotten when the samples roll over, so a
 * client whose requests in flight outweigh its quota is still held to it. One answer asks for at most
 * {@link #MAX_THROTTLE_MS}, short of clients' request timeout; the debt left throttles the next.
 */
final class ByteRate {

    static final long BURST_MS = 1_000;
    static final long MAX_THROTTLE_MS = 10_000;

    private double tokens;
    private long lastMs;
    private double quota;

    ByteRate(long nowMs, double quota) {
        this.lastMs = nowMs;
        this.quota = quota;
        this.tokens = burst(quota);
    }

    private static double burst(double quota) {
        return quota * BURST_MS / 1_000;
    }

    /** Records {@code amount} at {@code nowMs}; returns how long the client must wait to be back within {@code quota}. */
    synchronized long record(double amount, long nowMs, double quota) {
        refill(nowMs, quota);
        tokens -= amount;
        return owed();
    }

    /** How long the client must still wait to owe nothing; 0 when it owes nothing. */
    synchronized long owedMs(long nowMs, double quota) {
        refill(nowMs, quota);
        return owed();
    }

    private long owed() {
        return tokens >= 0 ? 0 : Math.min(MAX_THROTTLE_MS, (long) Math.ceil(-tokens * 1_000 / quota));
    }

    /** What a client may take at once: a burst's worth of its quota. */
    static long burstBytes(double quota) {
        return (long) Math.max(1, burst(quota));
    }

    /** Whether the bucket is full again: the client owes nothing and forgetting it changes nothing. */
    synchronized boolean idle(long nowMs) {
        refill(nowMs, quota);
        return tokens >= burst(quota);
    }

    private void refill(long nowMs, double current) {
        quota = current;
        tokens = Math.min(burst(current), tokens + Math.max(0, nowMs - lastMs) * current / 1_000);
        lastMs = Math.max(lastMs, nowMs);
    }
}
