package io.sluice.broker.log;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The newest committed chunks of a partition kept in the leader's heap, so tailing consumers never wait on the store.
 * A chunk is found by its index entry, so bytes the log cleaner has replaced are never served for the chunk that
 * replaced them.
 */
final class RecentChunks {

    private record Recent(ChunkInfo chunk, byte[] bytes) {
    }

    private final int budgetBytes;
    private final ConcurrentSkipListMap<Long, Recent> chunks = new ConcurrentSkipListMap<>();
    private long bytes;

    RecentChunks(int budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** Called under the log's lock (or the recovery's), in offset order. */
    void add(ChunkInfo chunk, byte[] chunkBytes) {
        Recent replaced = chunks.put(chunk.baseOffset(), new Recent(chunk, chunkBytes));
        bytes += chunkBytes.length - (replaced == null ? 0 : replaced.bytes().length);
        while (bytes > budgetBytes && chunks.size() > 1) {
            Map.Entry<Long, Recent> oldest = chunks.pollFirstEntry();
            bytes -= oldest.getValue().bytes().length;
        }
    }

    /** Called under the log's lock. */
    void remove(long baseOffset) {
        Recent removed = chunks.remove(baseOffset);
        if (removed != null) {
            bytes -= removed.bytes().length;
        }
    }

    /** The bytes of this very chunk, or null. */
    byte[] get(ChunkInfo chunk) {
        Recent recent = chunks.get(chunk.baseOffset());
        return recent == null || !recent.chunk().equals(chunk) ? null : recent.bytes();
    }
}
