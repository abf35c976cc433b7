package io.sluice.broker.log;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The newest committed chunks of a partition kept in the leader's heap, so tailing consumers never wait on the store. */
final class RecentChunks {

    private final int budgetBytes;
    private final ConcurrentSkipListMap<Long, byte[]> chunks = new ConcurrentSkipListMap<>();
    private long bytes;

    RecentChunks(int budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** Called under the log's lock (or the recovery's), in offset order. */
    void add(long baseOffset, byte[] chunk) {
        chunks.put(baseOffset, chunk);
        bytes += chunk.length;
        while (bytes > budgetBytes && chunks.size() > 1) {
            Map.Entry<Long, byte[]> oldest = chunks.pollFirstEntry();
            bytes -= oldest.getValue().length;
        }
    }

    void remove(long baseOffset) {
        byte[] removed = chunks.remove(baseOffset);
        if (removed != null) {
            bytes -= removed.length;
        }
    }

    byte[] get(long baseOffset) {
        return chunks.get(baseOffset);
    }
}
