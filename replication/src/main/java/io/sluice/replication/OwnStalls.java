package io.sluice.replication;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When this JVM last stood still (SIGSTOP, a long GC pause, a suspended VM): once {@link #watch() watched}, a daemon
 * thread ticks every 100 ms, and a tick more than {@link #STALL} late ends a stall. A member back from one was away,
 * whatever its own view still says.
 */
final class OwnStalls {

    /** Far above a tick's period and the GC pauses of a small heap, and below JGroups' failure detection (5 s). */
    static final Duration STALL = Duration.ofSeconds(2);
    private static final long TICK_MS = 100;
    private static final AtomicBoolean WATCHING = new AtomicBoolean();

    private static volatile long lastTick;
    private static volatile long stallEndedAt;
    private static volatile boolean stalled;

    private OwnStalls() {
    }

    /** Starts the ticker unless it runs already: a stall before this call goes unseen. */
    static void watch() {
        if (WATCHING.compareAndSet(false, true)) {
            lastTick = System.nanoTime();
            Thread ticker = new Thread(OwnStalls::tickForever, "own-stalls");
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    /** Whether a stall of this JVM ended less than {@code window} ago. */
    static boolean endedWithin(Duration window) {
        return stalled && System.nanoTime() - stallEndedAt < window.toNanos();
    }

    private static void tickForever() {
        while (true) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastTick > STALL.toNanos()) {
                stallEndedAt = now;
                stalled = true;
            }
            lastTick = now;
        }
    }
}
