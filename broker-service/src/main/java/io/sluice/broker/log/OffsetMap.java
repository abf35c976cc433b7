package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The log cleaner's map from key to the newest offset of that key in the dirty part of a log, in a fixed amount of
 * memory, as Kafka's cleaner keeps it: a key is known by its MD5 digest (two keys sharing one are as unlikely as in
 * Kafka), in an open-addressed table that is full at 90 %. One cleaning at a time uses it; {@link #clear()} readies it
 * for the next.
 */
final class OffsetMap {

    private static final int BYTES_PER_SLOT = 3 * Long.BYTES;
    private static final double MAX_LOAD = 0.9;

    private final long[] digestHigh;
    private final long[] digestLow;
    /** The offset of each slot, -1 for an empty one. */
    private final long[] offsets;
    private final int mask;
    private final int capacity;
    private final MessageDigest md5;
    private int size;

    /** A map of at most {@code memoryBytes}, rounded down to a power of two of slots. */
    OffsetMap(long memoryBytes) {
        int slots = Integer.highestOneBit((int) Math.min(1 << 30, Math.max(1024, memoryBytes / BYTES_PER_SLOT)));
        digestHigh = new long[slots];
        digestLow = new long[slots];
        offsets = new long[slots];
        mask = slots - 1;
        capacity = (int) (slots * MAX_LOAD);
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
        clear();
    }

    void clear() {
        Arrays.fill(offsets, -1);
        size = 0;
    }

    /** Whether another new key would overfill the map. */
    boolean isFull() {
        return size >= capacity;
    }

    int size() {
        return size;
    }

    /** Records {@code offset} as the newest of {@code key}; false if the key is new and the map full. */
    boolean put(ByteBuffer key, long offset) {
        long[] digest = digest(key);
        int slot = find(digest);
        if (offsets[slot] < 0) {
            if (isFull()) {
                return false;
            }
            digestHigh[slot] = digest[0];
            digestLow[slot] = digest[1];
            size++;
        }
        offsets[slot] = Math.max(offsets[slot], offset);
        return true;
    }

    /** The newest offset recorded for {@code key}, or -1. */
    long latest(ByteBuffer key) {
        return offsets[find(digest(key))];
    }

    /** The slot holding {@code digest}, or the empty slot where it would go. */
    private int find(long[] digest) {
        int slot = (int) (digest[0] ^ (digest[0] >>> 32)) & mask;
        while (offsets[slot] >= 0 && (digestHigh[slot] != digest[0] || digestLow[slot] != digest[1])) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private long[] digest(ByteBuffer key) {
        md5.update(key.duplicate());
        ByteBuffer d = ByteBuffer.wrap(md5.digest());
        return new long[] { d.getLong(), d.getLong() };
    }
}
