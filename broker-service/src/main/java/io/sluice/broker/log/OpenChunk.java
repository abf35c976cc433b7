package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The batches appended since the last write began, back to back, with the appends waiting on them and the transaction
 * events they make.
 */
final class OpenChunk {

    private byte[] bytes = new byte[0];
    private int size;
    private long baseOffset = -1;
    private long lastOffset = -1;
    private long maxTimestamp = -1;
    private final List<PendingAppend> appends = new ArrayList<>();
    /** Allocated by the first transaction event: most chunks have none. */
    private List<TransactionEvent> events = List.of();

    void append(ByteBuffer batch, int from, int to, long base, long last, long timestamp,
            PendingAppend pending) {
        int length = to - from;
        if (size + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + length, Math.max(bytes.length * 2, 16 * 1024)));
        }
        batch.duplicate().position(from).limit(to).get(bytes, size, length);
        size += length;
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
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }

    List<PendingAppend> appends() {
        return appends;
    }
}
