package io.sluice.broker.leadership;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether this broker may write as a leader: never across a stall of its own. A broker paused (SIGSTOP, a long GC
 * pause, a suspended VM) may have been declared dead and replaced while it slept; on waking, its pending writes would
 * race the new leader's, and could make that one give way. So during a stall, and after one until the coordinator
 * acknowledges a heartbeat sent after it, it writes nothing; by then the view it follows is current again.
 * <p>
 * A coordinator that does not answer is no reason to stop: while none is active nobody can be made leader in this
 * broker's place, and a new active replica gives every broker a session to heartbeat first.
 */
final class LeadershipLease {

    /** A gap between ticks longer than this is a stall: far above a tick's period and the GC pauses of a small heap. */
    static final Duration STALL = Duration.ofSeconds(2);
    /** How often {@link #tick} should run. */
    static final Duration TICK = Duration.ofMillis(100);

    private final long stallNanos;
    private final LongSupplier nanoClock;
    private volatile long lastTick;
    private volatile long stalledAt;
    /** When the newest acknowledged heartbeat was sent. */
    private volatile long acknowledgedSentAt;
    private volatile boolean acknowledged;

    LeadershipLease(Duration stall, LongSupplier nanoClock) {
        this.stallNanos = stall.toNanos();
        this.nanoClock = nanoClock;
        this.lastTick = nanoClock.getAsLong();
        this.stalledAt = lastTick;
    }

    /** Runs every {@link #TICK} on a thread of its own: a late tick is a stall that just ended. */
    void tick() {
        long now = nanoClock.getAsLong();
        if (now - lastTick > stallNanos) {
            stalledAt = now;
        }
        lastTick = now;
    }

    /** The time to pass to {@link #renew} once the heartbeat sent now is acknowledged. */
    long now() {
        return nanoClock.getAsLong();
    }

    /** A heartbeat (or registration) sent at {@code sentAt} ({@link #now()}) was acknowledged. */
    synchronized void renew(long sentAt) {
        if (!acknowledged || sentAt - acknowledgedSentAt > 0) {
            acknowledgedSentAt = sentAt;
            acknowledged = true;
        }
    }

    boolean held() {
        boolean stalling = nanoClock.getAsLong() - lastTick > stallNanos;
        return acknowledged && !stalling && acknowledgedSentAt - stalledAt >= 0;
    }
}
