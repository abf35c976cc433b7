package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches appended since the last write began, with the appends waiting on them and the transaction events they
 * make. The batches stay where the produce requests brought them (stamped, and not changed again) until the chunk is
 * sealed, then are copied once, back to back, into an array of the chunk's size: no growing, no trimming.
 */
final class OpenChunk {

    private final List<ByteBuffer> batches = new ArrayList<>();
    private int size;
    private long baseOffset = -1;
    private long lastOffset = -1;
    private long maxTimestamp = -1;
    private final List<PendingAppend> appends = new ArrayList<>();
    /** Allocated by the first transaction event: most chunks have none. */
    private List<TransactionEvent> events = List.of();

    void append(ByteBuffer batch, int from, int to, long base, long last, long timestamp,
            PendingAppend pending) {
        batches.add(batch.duplicate().limit(to).position(from));
        size += to - from;
        if (baseOffset < 0) {
            baseOffset = base;
        }
        lastOffset = last;
        maxTimestamp = Math.max(maxTimestamp, timestamp);
        appends.add(pending);
    }

    void record(TransactionEvent event) {
        if (events.isEmpty()) {
            events = new ArrayList<>(2);
        }
        events.add(event);
    }

    List<TransactionEvent> events() {
        return events;
    }

    boolean isEmpty() {
        return size == 0;
    }

    ChunkInfo info(int leaderEpoch) {
        return new ChunkInfo(baseOffset, lastOffset, maxTimestamp, size, leaderEpoch);
    }

    /** The chunk's bytes, exactly sized: the array is stored and served as it is. */
    byte[] bytes() {
        byte[] bytes = new byte[size];
        int at = 0;
        for (ByteBuffer batch : batches) {
            int length = batch.remaining();
            batch.get(batch.position(), bytes, at, length);
            at += length;
        }
        return bytes;
    }

    List<PendingAppend> appends() {
        return appends;
    }
}
