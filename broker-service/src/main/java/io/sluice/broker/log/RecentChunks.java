package io.sluice.broker.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The newest committed chunks of a partition kept in the leader's heap, so tailing consumers do not wait on the store,
 * within the broker's {@link RecentMemory}. A chunk is found by its index entry, so bytes the log cleaner has replaced
 * are never served for the chunk that replaced them. Reads take no lock; changes go through the broker's memory.
 */
final class RecentChunks {

    record Recent(ChunkInfo chunk, byte[] bytes) {
        int size() {
            return bytes.length;
        }
    }

    private final RecentMemory memory;
    private final ConcurrentSkipListMap<Long, Recent> chunks = new ConcurrentSkipListMap<>();

    RecentChunks(RecentMemory memory) {
        this.memory = memory;
    }

    /** Called under the log's lock (or the recovery's), in offset order. */
    void add(ChunkInfo chunk, byte[] chunkBytes) {
        memory.add(this, new Recent(chunk, chunkBytes));
    }

    /** Called under the log's lock. */
    void remove(long baseOffset) {
        memory.remove(this, baseOffset);
    }

    /** The log closed: its chunks give their memory back. */
    void clear() {
        memory.clear(this);
    }

    /** The bytes of this very chunk, or null. */
    byte[] get(ChunkInfo chunk) {
        Recent recent = chunks.get(chunk.baseOffset());
        return recent == null || !recent.chunk().equals(chunk) ? null : recent.bytes();
    }

    // The rest is called by RecentMemory, under its lock.

    Recent put(Recent recent) {
        return chunks.put(recent.chunk().baseOffset(), recent);
    }

    Recent take(long baseOffset) {
        return chunks.remove(baseOffset);
    }

    List<Recent> takeAll() {
        List<Recent> all = new ArrayList<>(chunks.values());
        chunks.clear();
        return all;
    }

    boolean drop(Recent recent) {
        return chunks.remove(recent.chunk().baseOffset(), recent);
    }

    boolean holds(Recent recent) {
        return chunks.get(recent.chunk().baseOffset()) == recent;
    }
}
