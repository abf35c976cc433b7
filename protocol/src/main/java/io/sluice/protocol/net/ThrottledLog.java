package io.sluice.protocol.net;

import java.time.Duration;

import org.jboss.logging.Logger;

/**
 * Lets one log line of a kind through per interval and counts the ones it holds back, so that a client sending bad
 * input as fast as it can cannot flood the log; the metrics count every one.
 */
public final class ThrottledLog {

    private final Logger log;
    private final String kind;
    private final long intervalNanos;
    private long nextNanos = System.nanoTime();
    private long heldBack;

    public ThrottledLog(Logger log, String kind, Duration interval) {
        this.log = log;
        this.kind = kind;
        this.intervalNanos = interval.toNanos();
    }

    public void log(Runnable line) {
        long held;
        synchronized (this) {
            long now = System.nanoTime();
            if (now - nextNanos < 0) {
                heldBack++;
                return;
            }
            nextNanos = now + intervalNanos;
            held = heldBack;
            heldBack = 0;
        }
        if (held > 0) {
            log.infof("%d more %s were not logged in the last %d s", held, kind, intervalNanos / 1_000_000_000);
        }
        line.run();
    }
}
