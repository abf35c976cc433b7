package io.sluice.gateway.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live tails (SSE and WebSocket streams) open on one gateway. Each holds a connection and, for a client slower
 * than its topic, one step of records, so a client opening thousands could otherwise grow the gateway's memory without
 * bound. Their number is capped ({@code sluice.gateway.http.max-streams}; more are 429), and a step fetches less as
 * more are open: together they fetch at most the budget's bytes at once, yet never less than {@link #MIN_STEP_BYTES}
 * each.
 */
final class StreamSlots {

    static final int MAX_STEP_BYTES = 1 << 20;
    static final int MIN_STEP_BYTES = 64 * 1024;
    /** When a client refused for want of a slot is told to try again. */
    private static final long RETRY_MS = 1_000;

    private final int max;
    private final long budgetBytes;
    private final AtomicInteger open = new AtomicInteger();

    StreamSlots(int max, long budgetBytes) {
        this.max = max;
        this.budgetBytes = budgetBytes;
    }

    /** A slot for a new tail, or a 429 when {@code max} are open already. */
    Slot take() {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            throw HttpError.tooManyRequests(max + " streams are open on this gateway already", RETRY_MS);
        }
        return new Slot();
    }

    /** How many tails are open now. */
    int open() {
        return open.get();
    }

    /** One open tail's hold on the gateway. */
    final class Slot {

        private final AtomicBoolean released = new AtomicBoolean();

        /** The most bytes the tail's next step may fetch: the budget shared among the open tails. */
        int stepBytes() {
            long share = budgetBytes / Math.max(1, open.get());
            return (int) Math.max(MIN_STEP_BYTES, Math.min(MAX_STEP_BYTES, share));
        }

        /** Gives the slot back; once the tail has stopped. Later calls do nothing. */
        void release() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }
    }
}
