package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What the index knows of one stored chunk: its offsets, newest timestamp, size and the epoch it was written in. Its
 * stored entry may be followed by the chunk's {@link TransactionEvent}s.
 */
public record ChunkInfo(long baseOffset, long lastOffset, long maxTimestamp, int sizeInBytes, int leaderEpoch) {

    private static final int ENCODED_SIZE = 8 + 8 + 4 + 4;

    /**
     * The index entry stored beside the chunk (the base offset is in the key), followed by the transaction events of
     * the chunk's batches; without events it is the entry alone.
     */
    byte[] encode(List<TransactionEvent> events) {
        ByteBuffer b = ByteBuffer.allocate(ENCODED_SIZE + TransactionEvent.encodedSize(events))
                .putLong(lastOffset)
                .putLong(maxTimestamp)
                .putInt(sizeInBytes)
                .putInt(leaderEpoch);
        TransactionEvent.encode(events, b);
        return b.array();
    }

    /** The transaction events stored in an index entry after the chunk's own fields. */
    static List<TransactionEvent> events(byte[] entry) {
        return entry.length == ENCODED_SIZE ? List.of() : TransactionEvent.decode(entry, ENCODED_SIZE);
    }

    public static ChunkInfo decode(long baseOffset, byte[] entry) {
        ByteBuffer b = ByteBuffer.wrap(entry);
        return new ChunkInfo(baseOffset, b.getLong(), b.getLong(), b.getInt(), b.getInt());
    }

    public long nextOffset() {
        return lastOffset + 1;
    }
}
