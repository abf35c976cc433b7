package io.sluice.replication;

import java.time.Duration;

/**
 * When this JVM last stood still (SIGSTOP, a long GC pause, a suspended VM): a daemon thread ticks every 100 ms, and a
 * tick more than {@link #STALL} late ends a stall. A member back from one was away, whatever its own view still says.
 */
final class OwnStalls {

    /** Far above a tick's period and the GC pauses of a small heap, and below JGroups' failure detection (5 s). */
    static final Duration STALL = Duration.ofSeconds(2);
    private static final long TICK_MS = 100;

    private static volatile long lastTick = System.nanoTime();
    private static volatile long stallEndedAt;
    private static volatile boolean stalled;

    private static final Thread TICKER = new Thread(OwnStalls::tickForever, "own-stalls");

    static {
        TICKER.setDaemon(true);
        TICKER.start();
    }

    private OwnStalls() {
    }

    /** Starts watching, if not yet: a stall before the first call goes unseen. */
    static void watch() {
        // Loading the class starts the ticker.
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
