package io.sluice.broker.leadership;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long this broker may act as a leader without hearing from the coordinator. The coordinator declares a broker dead
 * once it has received no heartbeat for its session timeout; a heartbeat the coordinator acknowledged was received after
 * it was sent, so a lease counted from the sending of the last acknowledged heartbeat, shorter than that timeout, ends
 * before anyone else can have been made leader of this broker's partitions in its place.
 */
final class LeadershipLease {

    /** Below the coordinator's default broker session timeout (6 s), with room for a heartbeat or two in flight. */
    static final Duration DEFAULT = Duration.ofSeconds(4);

    private final long leaseNanos;
    private final LongSupplier nanoClock;
    /** When the newest acknowledged heartbeat was sent; none yet is an expired lease. */
    private volatile long renewedAt;
    private volatile boolean renewed;

    LeadershipLease(Duration lease, LongSupplier nanoClock) {
        this.leaseNanos = lease.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The time to pass to {@link #renew} once the heartbeat sent now is acknowledged. */
    long now() {
        return nanoClock.getAsLong();
    }

    /** A heartbeat sent at {@code sentAt} ({@link #now()}) was acknowledged. */
    synchronized void renew(long sentAt) {
        if (!renewed || sentAt - renewedAt > 0) {
            renewedAt = sentAt;
            renewed = true;
        }
    }

    boolean held() {
        return renewed && nanoClock.getAsLong() - renewedAt < leaseNanos;
    }
}
