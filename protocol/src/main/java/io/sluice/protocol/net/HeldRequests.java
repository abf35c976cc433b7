package io.sluice.protocol.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of the requests a server holds, read and not yet answered, against its budget: a connection whose next
 * request does not fit stops reading until earlier ones are answered. A request larger than the whole budget is read
 * when nothing else is held, so that every request the size limit allows can be served. The Kafka listeners hold
 * their requests' frames here, the gateway's HTTP API its request bodies.
 */
public final class HeldRequests {

    private final long budget;
    private final List<Runnable> waiting = new ArrayList<>();
    private long held;

    public HeldRequests(long budget) {
        this.budget = budget;
    }

    /** Holds {@code bytes} if they fit; otherwise calls {@code whenFreed} once some are released, and returns false. */
    public synchronized boolean hold(int bytes, Runnable whenFreed) {
        if (tryHold(bytes)) {
            return true;
        }
        waiting.add(whenFreed);
        return false;
    }

    /** Holds {@code bytes} if they fit, and says whether they did. */
    public synchronized boolean tryHold(int bytes) {
        if (held == 0 || held + bytes <= budget) {
            held += bytes;
            return true;
        }
        return false;
    }

    public void release(int bytes) {
        List<Runnable> wake;
        synchronized (this) {
            held -= bytes;
            wake = List.copyOf(waiting);
            waiting.clear();
        }
        wake.forEach(Runnable::run);
    }

    public synchronized long held() {
        return held;
    }

    public long budget() {
        return budget;
    }
}
