package io.sluice.broker.log;

import java.nio.ByteBuffer;

/** What the index knows of one stored chunk: its offsets, newest timestamp, size and the epoch it was written in. */
public record ChunkInfo(long baseOffset, long lastOffset, long maxTimestamp, int sizeInBytes, int leaderEpoch) {

    private static final int ENCODED_SIZE = 8 + 8 + 4 + 4;

    /** The index entry stored beside the chunk; the base offset is in the key. */
    public byte[] encode() {
        return ByteBuffer.allocate(ENCODED_SIZE)
                .putLong(lastOffset)
                .putLong(maxTimestamp)
                .putInt(sizeInBytes)
                .putInt(leaderEpoch)
                .array();
    }

    public static ChunkInfo decode(long baseOffset, byte[] entry) {
        ByteBuffer b = ByteBuffer.wrap(entry);
        return new ChunkInfo(baseOffset, b.getLong(), b.getLong(), b.getInt(), b.getInt());
    }

    public long nextOffset() {
        return lastOffset + 1;
    }
}
