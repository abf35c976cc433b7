package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;

import org.jboss.logging.Logger;

import io.sluice.protocol.record.BatchHeaders;
import io.sluice.protocol.record.BatchRecords;

/**
 * Taking leadership of a partition: rebuilds a new log's parts from the store before the log serves anything. Every
 * index entry goes into the chunk index but a newest one whose chunk is missing (a write that never finished); the
 * newest chunks are read back, oldest first, into the idempotent-producer state and the recent chunks; the transaction
 * events of every entry left rebuild the ongoing and aborted transactions.
 * <p>
 * An entry whose offsets a cleaned chunk before it covers is one the log cleaner's swap had yet to free when it was cut
 * short: its slot is freed (all of them in a few bulk requests, as the swap frees them; a swap cut short can leave
 * thousands), and its chunk goes with the others no entry points at.
 * <p>
 * A dropped entry's slot is freed in the store too, or the log's first write at that offset would find it claimed and
 * give up, and every leader after it the same. Dropping it loses nothing acknowledged: a write is acknowledged only
 * once its slot is claimed, and a slot is claimed only once its chunk is stored ({@link StoredChunks#write}). The slot
 * is freed only while it holds the entry read, so one another leader has claimed since stays claimed; the log's first
 * write there then finds it taken and gives up, as any deposed leader does.
 * <p>
 * The steps run one after the other, each on the store thread that completed the read before it, and change the parts
 * under this object's lock, as the log changes them under its own once it serves.
 */
final class LogRecovery {

    private static final Logger LOG = Logger.getLogger(LogRecovery.class);
    /** Chunks read back to rebuild idempotent-producer state. */
    static final int CHUNKS_REPLAYED = 8;

    private final PartitionId id;
    private final StoredChunks stored;
    private final ChunkIndex index;
    private final RecentChunks recent;
    private final ProducerStateTable producers;
    private final TransactionIndex transactions;

    LogRecovery(PartitionId id, StoredChunks stored, ChunkIndex index, RecentChunks recent,
            ProducerStateTable producers, TransactionIndex transactions) {
        this.id = id;
        this.stored = stored;
        this.index = index;
        this.recent = recent;
        this.producers = producers;
        this.transactions = transactions;
    }

    /** Completes once every part is rebuilt; fails when a chunk other than the newest is missing from the store. */
    CompletableFuture<Void> recover() {
        return stored.readIndex().thenCompose(entries -> {
            List<ChunkInfo> overlapped = new ArrayList<>();
            List<byte[]> overlappedEntries = new ArrayList<>();
            long covered = -1;
            for (Map.Entry<Long, byte[]> e : entries.entrySet()) {
                ChunkInfo chunk = ChunkInfo.decode(e.getKey(), e.getValue());
                if (chunk.baseOffset() <= covered) {
                    overlapped.add(chunk);
                    overlappedEntries.add(e.getValue());
                } else {
                    index.add(chunk);
                    covered = chunk.lastOffset();
                }
            }
            return stored.releaseSlots(overlapped, overlappedEntries).thenCompose(freed -> {
                if (!overlapped.isEmpty()) {
                    LOG.infof("%s: freed %d of %d slots a cleaned chunk had replaced, left by a cleaning cut short",
                            id, freed, overlapped.size());
                }
                return replay(entries, index.newest(CHUNKS_REPLAYED), 0, true);
            }).thenRun(() -> rebuildTransactions(entries));
        });
    }

    /** Replays the transaction events of every chunk that survived recovery, oldest first. */
    private synchronized void rebuildTransactions(NavigableMap<Long, byte[]> entries) {
        entries.forEach((baseOffset, entry) -> {
            if (index.contains(baseOffset)) {
                ChunkInfo.events(entry).forEach(transactions::apply);
            }
        });
        transactions.ongoing().forEach(producers::beginTransaction);
    }

    /**
     * Reads the tail chunks newest first; a newest index entry without its chunk is a write that never finished, dropped
     * and its slot freed.
     */
    private CompletableFuture<Void> replay(NavigableMap<Long, byte[]> entries, List<ChunkInfo> tail, int i,
            boolean newest) {
        if (i == tail.size()) {
            return CompletableFuture.completedFuture(null);
        }
        ChunkInfo chunk = tail.get(i);
        return stored.read(chunk).thenCompose(bytes -> {
            if (bytes == null) {
                if (!newest) {
                    return CompletableFuture.failedFuture(new IllegalStateException(
                            id + ": chunk at offset " + chunk.baseOffset() + " is missing from the store"));
                }
                index.remove(chunk.baseOffset());
                return stored.releaseSlot(chunk, entries.get(chunk.baseOffset())).thenCompose(released -> {
                    LOG.infof("%s: dropped unfinished chunk at offset %d, %s", id, chunk.baseOffset(),
                            released ? "its slot is free" : "its slot no longer held that entry");
                    return replay(entries, tail, i + 1, true);
                });
            }
            CompletableFuture<Void> older = replay(entries, tail, i + 1, false);
            return older.thenRun(() -> {
                synchronized (this) {
                    replayProducers(bytes);
                    recent.add(chunk, bytes);
                }
            });
        });
    }

    private void replayProducers(byte[] chunk) {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        for (int pos = 0; pos < chunk.length; pos += BatchHeaders.size(b, pos)) {
            long producerId = BatchHeaders.producerId(b, pos);
            if (producerId >= 0 && BatchHeaders.isControl(b, pos)) {
                ByteBuffer marker = ByteBuffer.wrap(chunk, pos, BatchHeaders.size(b, pos)).slice();
                producers.recordMarker(producerId, BatchHeaders.producerEpoch(b, pos),
                        BatchRecords.markerCoordinatorEpoch(marker));
            } else if (producerId >= 0 && BatchHeaders.baseSequence(b, pos) >= 0) {
                producers.record(producerId, BatchHeaders.producerEpoch(b, pos), BatchHeaders.baseSequence(b, pos),
                        BatchHeaders.lastSequence(b, pos), BatchHeaders.maxTimestamp(b, pos),
                        CompletableFuture.completedFuture(BatchHeaders.baseOffset(b, pos)));
            }
        }
    }
}
