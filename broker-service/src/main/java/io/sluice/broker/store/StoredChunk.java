package io.sluice.broker.store;

import java.nio.charset.StandardCharsets;

/** A chunk as stored: its key and the epoch of the leader that wrote it. */
public record StoredChunk(ChunkKey key, int leaderEpoch) {

    /** Parses a chunk's store key, {@code topicId:partition:baseOffset:leaderEpoch}. */
    static StoredChunk fromBytes(byte[] stored) {
        String text = new String(stored, StandardCharsets.UTF_8);
        int last = text.lastIndexOf(':');
        try {
            return new StoredChunk(ChunkKey.decode(text.substring(0, last)), Integer.parseInt(text.substring(last + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a chunk's store key: '" + text + "'", e);
        }
    }
}
