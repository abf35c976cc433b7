package io.sluice.broker.log;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * The heap a broker's partition leaders keep their newest chunks in, together. When it is full the oldest chunk of
 * any partition goes first, so the partitions being written keep their tails in memory for the consumers following
 * them, and idle ones give theirs up. One bound for the broker, however many partitions it leads: a bound per
 * partition let a broker leading many busy partitions hold more than its heap.
 */
public final class RecentMemory {

    /** A chunk held for a partition, in the order chunks came. */
    private record Held(RecentChunks owner, RecentChunks.Recent recent) {
    }

    private final long budgetBytes;
    private final ArrayDeque<Held> byAge = new ArrayDeque<>();
    private final LongAdder evictedBytes = new LongAdder();
    private long usedBytes;
    /** Entries of {@code byAge} whose chunk was given up by its partition since. */
    private int released;

    public RecentMemory(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("recent chunk memory must not be negative, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** Keeps a partition's new chunk, then gives up the oldest chunks of any partition until the bound holds. */
    synchronized void add(RecentChunks owner, RecentChunks.Recent recent) {
        RecentChunks.Recent replaced = owner.put(recent);
        if (replaced != null) {
            released(replaced);
        }
        byAge.addLast(new Held(owner, recent));
        usedBytes += recent.size();
        while (usedBytes > budgetBytes && !byAge.isEmpty()) {
            Held oldest = byAge.pollFirst();
            if (oldest.owner().drop(oldest.recent())) {
                usedBytes -= oldest.recent().size();
                evictedBytes.add(oldest.recent().size());
            } else {
                released--;
            }
        }
    }

    /** A partition gave up one of its chunks (the log replaced or removed it). */
    synchronized void remove(RecentChunks owner, long baseOffset) {
        RecentChunks.Recent removed = owner.take(baseOffset);
        if (removed != null) {
            released(removed);
        }
    }

    /** A partition gave up all its chunks (its log closed). */
    synchronized void clear(RecentChunks owner) {
        owner.takeAll().forEach(this::released);
    }

    private void released(RecentChunks.Recent recent) {
        usedBytes -= recent.size();
        // Its place in byAge goes when it comes up, or now if such places are most of the queue.
        if (++released > 1024 && released > byAge.size() / 2) {
            byAge.removeIf(held -> !held.owner().holds(held.recent()));
            released = 0;
        }
    }

    /** The bytes held now, over every partition. */
    public synchronized long usedBytes() {
        return usedBytes;
    }

    /** The chunks in the order of age, those given up since included until their place is cleared. */
    synchronized int queued() {
        return byAge.size();
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** The bytes given up so far to keep the bound (the chunks stay in the store). */
    public long evictedBytes() {
        return evictedBytes.sum();
    }
}
