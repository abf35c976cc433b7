package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A change to a partition's transactions made by one appended batch: a producer's first transactional batch begins a
 * transaction, its COMMIT or ABORT marker ends it. Events travel in the index entry of the chunk that holds the batch,
 * so a new leader rebuilds ongoing and aborted transactions from the index alone.
 */
sealed interface TransactionEvent permits TransactionEvent.Begun, TransactionEvent.Ended {

    byte BEGUN = 1;
    byte COMMITTED = 2;
    byte ABORTED = 3;

    long producerId();

    /** The offset of the transaction's first batch. */
    long firstOffset();

    /** A transaction opened by the batch at {@code firstOffset}. */
    record Begun(long producerId, long firstOffset) implements TransactionEvent {
    }

    /**
     * A transaction closed by the marker at {@code markerOffset}. It carries the first offset too: once retention has
     * removed the chunk that began it, an aborted transaction is still rebuilt whole.
     */
    record Ended(long producerId, long firstOffset, long markerOffset, boolean committed) implements TransactionEvent {
    }

    static int encodedSize(List<TransactionEvent> events) {
        int size = 0;
        for (TransactionEvent event : events) {
            size += event instanceof Ended ? 1 + 8 + 8 + 8 : 1 + 8 + 8;
        }
        return size;
    }

    static void encode(List<TransactionEvent> events, ByteBuffer into) {
        for (TransactionEvent event : events) {
            if (event instanceof Ended ended) {
                into.put(ended.committed() ? COMMITTED : ABORTED).putLong(ended.producerId())
                        .putLong(ended.firstOffset()).putLong(ended.markerOffset());
            } else {
                into.put(BEGUN).putLong(event.producerId()).putLong(event.firstOffset());
            }
        }
    }

    /** The events from {@code from} to the end of an index entry. */
    static List<TransactionEvent> decode(byte[] entry, int from) {
        List<TransactionEvent> events = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(entry, from, entry.length - from);
        while (b.hasRemaining()) {
            byte kind = b.get();
            long producerId = b.getLong();
            long firstOffset = b.getLong();
            switch (kind) {
                case BEGUN -> events.add(new Begun(producerId, firstOffset));
                case COMMITTED, ABORTED -> events.add(new Ended(producerId, firstOffset, b.getLong(),
                        kind == COMMITTED));
                default -> throw new IllegalStateException("unknown transaction event kind " + kind);
            }
        }
        return events;
    }
}
