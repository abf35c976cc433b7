package io.sluice.broker.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import io.sluice.broker.store.StoredChunk;

/**
 * The committed chunks of a partition by base offset: what a fetch or an offset lookup consults first. Changed under
 * the owning {@link PartitionLog}'s lock (or by {@link LogRecovery} before the log serves), read without it.
 */
final class ChunkIndex {

    private final ConcurrentSkipListMap<Long, ChunkInfo> chunks = new ConcurrentSkipListMap<>();

    void add(ChunkInfo chunk) {
        chunks.put(chunk.baseOffset(), chunk);
    }

    ChunkInfo get(long baseOffset) {
        return chunks.get(baseOffset);
    }

    void remove(long baseOffset) {
        chunks.remove(baseOffset);
    }

    boolean contains(long baseOffset) {
        return chunks.containsKey(baseOffset);
    }

    /** Whether an index entry points at these stored bytes. */
    boolean indexes(StoredChunk stored) {
        ChunkInfo chunk = chunks.get(stored.key().baseOffset());
        return chunk != null && chunk.leaderEpoch() == stored.leaderEpoch() && chunk.cleaning() == stored.cleaning();
    }

    int size() {
        return chunks.size();
    }

    /** The chunk holding {@code offset}, or null. */
    ChunkInfo chunkOf(long offset) {
        Map.Entry<Long, ChunkInfo> floor = chunks.floorEntry(offset);
        return floor == null || floor.getValue().lastOffset() < offset ? null : floor.getValue();
    }

    /** The first chunk with records from {@code fromOffset} on whose newest record is at least {@code timestamp}. */
    ChunkInfo firstReaching(long timestamp, long fromOffset) {
        for (ChunkInfo chunk : chunks.values()) {
            if (chunk.lastOffset() >= fromOffset && chunk.maxTimestamp() >= timestamp) {
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

    /** The newest {@code count} chunks (all of them if fewer), newest first. */
    List<ChunkInfo> newest(int count) {
        return chunks.descendingMap().values().stream().limit(count).toList();
    }

    /**
     * The chunks that retention removes at {@code now}, oldest first: from the head, those older than
     * {@code retentionMs}, or whose removal still leaves at least {@code retentionBytes} (as Kafka removes segments; a
     * negative limit is none), up to the first chunk that holds {@code keepFrom} or a later offset.
     */
    List<ChunkInfo> expired(long retentionMs, long retentionBytes, long now, long keepFrom) {
        List<ChunkInfo> expired = new ArrayList<>();
        long excess = retentionBytes < 0 ? 0 : totalBytes() - retentionBytes;
        for (ChunkInfo chunk : chunks.values()) {
            boolean tooOld = retentionMs >= 0 && chunk.maxTimestamp() < now - retentionMs;
            boolean beyondSize = retentionBytes >= 0 && excess - chunk.sizeInBytes() >= 0;
            if ((!tooOld && !beyondSize) || chunk.lastOffset() >= keepFrom) {
                break;
            }
            excess -= chunk.sizeInBytes();
            expired.add(chunk);
        }
        return expired;
    }

    /** The chunks from the head that end before {@code offset}, up to the first that holds {@code keepFrom}. */
    List<ChunkInfo> before(long offset, long keepFrom) {
        List<ChunkInfo> before = new ArrayList<>();
        for (ChunkInfo chunk : chunks.values()) {
            if (chunk.lastOffset() >= offset || chunk.lastOffset() >= keepFrom) {
                break;
            }
            before.add(chunk);
        }
        return before;
    }

    /**
     * The chunks from the head that end before {@code end}, up to the first with a record newer than
     * {@code newestTimestamp}.
     */
    List<ChunkInfo> cleanable(long end, long newestTimestamp) {
        List<ChunkInfo> cleanable = new ArrayList<>();
        for (ChunkInfo chunk : chunks.values()) {
            if (chunk.lastOffset() >= end || chunk.maxTimestamp() > newestTimestamp) {
                break;
            }
            cleanable.add(chunk);
        }
        return cleanable;
    }

    long totalBytes() {
        long total = 0;
        for (ChunkInfo chunk : chunks.values()) {
            total += chunk.sizeInBytes();
        }
        return total;
    }
}
