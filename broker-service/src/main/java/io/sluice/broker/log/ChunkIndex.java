package io.sluice.broker.log;

import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** The committed chunks of a partition by base offset: what a fetch or an offset lookup consults first. */
final class ChunkIndex {

    private final ConcurrentSkipListMap<Long, ChunkInfo> chunks = new ConcurrentSkipListMap<>();

    void add(ChunkInfo chunk) {
        chunks.put(chunk.baseOffset(), chunk);
    }

    void remove(long baseOffset) {
        chunks.remove(baseOffset);
    }

    /** The chunk holding {@code offset}, or null. */
    ChunkInfo chunkOf(long offset) {
        Map.Entry<Long, ChunkInfo> floor = chunks.floorEntry(offset);
        return floor == null || floor.getValue().lastOffset() < offset ? null : floor.getValue();
    }

    /** The first chunk whose newest record is at least {@code timestamp}, or null. */
    ChunkInfo firstReaching(long timestamp) {
        for (ChunkInfo chunk : chunks.values()) {
            if (chunk.maxTimestamp() >= timestamp) {
                return chunk;
            }
        }
        return null;
    }

    /** The chunk holding the newest timestamp (the earliest if tied), or null when empty. */
    ChunkInfo newestTimestamp() {
        ChunkInfo best = null;
        for (ChunkInfo chunk : chunks.values()) {
            if (best == null || chunk.maxTimestamp() > best.maxTimestamp()) {
                best = chunk;
            }
        }
        return best;
    }

    /** The first chunk written in an epoch above {@code epoch}, or null. */
    ChunkInfo firstAfterEpoch(int epoch) {
        for (ChunkInfo chunk : chunks.values()) {
            if (chunk.leaderEpoch() > epoch) {
                return chunk;
            }
        }
        return null;
    }

    ChunkInfo first() {
        Map.Entry<Long, ChunkInfo> e = chunks.firstEntry();
        return e == null ? null : e.getValue();
    }

    ChunkInfo last() {
        Map.Entry<Long, ChunkInfo> e = chunks.lastEntry();
        return e == null ? null : e.getValue();
    }

    NavigableMap<Long, ChunkInfo> view() {
        return chunks;
    }

    long totalBytes() {
        long total = 0;
        for (ChunkInfo chunk : chunks.values()) {
            total += chunk.sizeInBytes();
        }
        return total;
    }
}
