package io.sluice.broker.log;

import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;

import io.sluice.broker.store.ChunkKey;
import io.sluice.broker.store.PartitionStore;

/** One partition's chunks and index entries in the replicated store, at the partition's replication factor. */
final class StoredChunks {

    private final PartitionId id;
    private final int replicationFactor;
    private final PartitionStore store;

    StoredChunks(PartitionId id, int replicationFactor, PartitionStore store) {
        this.id = id;
        this.replicationFactor = replicationFactor;
        this.store = store;
    }

    /** Every index entry of the partition by base offset. */
    CompletableFuture<NavigableMap<Long, byte[]>> readIndex() {
        return store.readIndex(replicationFactor, id.topicId(), id.partition());
    }

    /** The chunk's bytes as its leader wrote them, or null if they are missing. */
    CompletableFuture<byte[]> read(ChunkInfo chunk) {
        return store.readChunk(replicationFactor, key(chunk), chunk.leaderEpoch());
    }

    /**
     * Writes the chunk, then claims its index entry, which carries the chunk's transaction events; completes with false
     * when another leader had claimed the offset first.
     */
    CompletableFuture<Boolean> write(ChunkInfo chunk, byte[] bytes, List<TransactionEvent> events) {
        return store.write(replicationFactor, key(chunk), chunk.leaderEpoch(), bytes, chunk.encode(events));
    }

    /**
     * Frees the index slot of a chunk that is missing, if it still holds {@code entry} as read; completes with whether
     * it did.
     */
    CompletableFuture<Boolean> releaseSlot(ChunkInfo chunk, byte[] entry) {
        return store.releaseSlot(replicationFactor, key(chunk), entry);
    }

    /** Removes the chunk and its index entry. */
    CompletableFuture<Void> delete(ChunkInfo chunk) {
        return store.delete(replicationFactor, key(chunk), chunk.leaderEpoch());
    }

    private ChunkKey key(ChunkInfo chunk) {
        return new ChunkKey(id.topicId(), id.partition(), chunk.baseOffset());
    }
}
