package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What the index knows of one stored chunk: its offsets, newest timestamp, size, the epoch it was written in and, once
 * the log cleaner has rewritten it, the id of that cleaning (0 before). A cleaned chunk covers the offsets of the
 * chunks it replaced, gaps included, so the chunks of a log still cover every offset from its start. Its stored entry
 * may be followed by the chunk's {@link TransactionEvent}s.
 */
public record ChunkInfo(long baseOffset, long lastOffset, long maxTimestamp, int sizeInBytes, int leaderEpoch,
        long cleaning) {

    private static final int ENCODED_SIZE = 8 + 8 + 4 + 4 + 8;

    /** A chunk as its leader wrote it. */
    public ChunkInfo(long baseOffset, long lastOffset, long maxTimestamp, int sizeInBytes, int leaderEpoch) {
        this(baseOffset, lastOffset, maxTimestamp, sizeInBytes, leaderEpoch, 0);
    }

    /**
     * The index entry stored beside the chunk (the base offset is in the key), followed by the transaction events of
     * the chunk's batches; without events it is the entry alone.
     */
    byte[] encode(List<TransactionEvent> events) {
        ByteBuffer b = ByteBuffer.allocate(ENCODED_SIZE + TransactionEvent.encodedSize(events))
                .putLong(lastOffset)
                .putLong(maxTimestamp)
                .putInt(sizeInBytes)
                .putInt(leaderEpoch)
                .putLong(cleaning);
        TransactionEvent.encode(events, b);
        return b.array();
    }

    /** The transaction events stored in an index entry after the chunk's own fields. */
    static List<TransactionEvent> events(byte[] entry) {
        return entry.length == ENCODED_SIZE ? List.of() : TransactionEvent.decode(entry, ENCODED_SIZE);
    }

    public static ChunkInfo decode(long baseOffset, byte[] entry) {
        ByteBuffer b = ByteBuffer.wrap(entry);
        return new ChunkInfo(baseOffset, b.getLong(), b.getLong(), b.getInt(), b.getInt(), b.getLong());
    }

    /** Whether the log cleaner wrote this chunk. */
    public boolean isCleaned() {
        return cleaning != 0;
    }

    public long nextOffset() {
        return lastOffset + 1;
    }
}
