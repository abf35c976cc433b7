package io.sluice.broker.store;

import java.nio.charset.StandardCharsets;

/**
 * A chunk's bytes as stored: its key, the epoch of the leader that wrote it and, for a chunk the log cleaner wrote in
 * place of others, a random nonzero {@code cleaning} id. Each version of a chunk has its own store key, so a writer
 * never overwrites bytes an index entry may point at: {@code topicId:partition:baseOffset:leaderEpoch}, followed by
 * {@code :cleaning} for a cleaned chunk.
 */
public record StoredChunk(ChunkKey key, int leaderEpoch, long cleaning) {

    /** A chunk as its leader wrote it. */
    public StoredChunk(ChunkKey key, int leaderEpoch) {
        this(key, leaderEpoch, 0);
    }

    byte[] toBytes() {
        byte[] written = key.toBytes(leaderEpoch);
        return cleaning == 0 ? written
                : (new String(written, StandardCharsets.UTF_8) + ":" + cleaning).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a chunk's store key. */
    static StoredChunk fromBytes(byte[] stored) {
        String text = new String(stored, StandardCharsets.UTF_8);
        try {
            String[] parts = text.split(":");
            if (parts.length != 4 && parts.length != 5) {
                throw new IllegalArgumentException("expected 4 or 5 parts");
            }
            ChunkKey key = new ChunkKey(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
            return new StoredChunk(key, Integer.parseInt(parts[3]), parts.length == 5 ? Long.parseLong(parts[4]) : 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a chunk's store key: '" + text + "'", e);
        }
    }
}
