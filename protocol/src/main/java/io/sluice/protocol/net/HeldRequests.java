package io.sluice.protocol.net;

import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of the requests a listener holds, read and not yet answered, against its budget: a connection whose next
 * request does not fit stops reading until earlier ones are answered. A request larger than the whole budget is read
 * when nothing else is held, so that every request the size limit allows can be served.
 */
final class HeldRequests {

    private final long budget;
    private final List<Runnable> waiting = new ArrayList<>();
    private long held;

    HeldRequests(long budget) {
        this.budget = budget;
    }

    /** Holds {@code bytes} if they fit; otherwise calls {@code whenFreed} once some are released, and returns false. */
    synchronized boolean hold(int bytes, Runnable whenFreed) {
        if (held == 0 || held + bytes <= budget) {
            held += bytes;
            return true;
        }
        waiting.add(whenFreed);
        return false;
    }

    void release(int bytes) {
        List<Runnable> wake;
        synchronized (this) {
            held -= bytes;
            wake = List.copyOf(waiting);
            waiting.clear();
        }
        wake.forEach(Runnable::run);
    }

    synchronized long held() {
        return held;
    }
}
