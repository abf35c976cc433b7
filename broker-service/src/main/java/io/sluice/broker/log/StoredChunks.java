package io.sluice.broker.log;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import io.sluice.broker.store.ChunkKey;
import io.sluice.broker.store.PartitionStore;
import io.sluice.broker.store.StoredChunk;

/** One partition's chunks and index entries in the replicated store, at the partition's replication factor. */
final class StoredChunks {

    /**
     * Chunks of one partition a bulk request (the cleaner's, removing orphans, freeing overlapped slots) reads or
     * removes at once.
     */
    private static final int SLICE = 1024;

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

    /** The log start offset a leader recorded, or -1 for none. */
    CompletableFuture<Long> readLogStart() {
        return store.readLogStart(replicationFactor, id.topicId(), id.partition());
    }

    /** Records the log start offset; completes once every owner holds it. */
    CompletableFuture<Void> writeLogStart(long offset) {
        return store.writeLogStart(replicationFactor, id.topicId(), id.partition(), offset);
    }

    /** The chunk's bytes as its leader wrote them, or null if they are missing. */
    CompletableFuture<byte[]> read(ChunkInfo chunk) {
        return store.readChunk(replicationFactor, stored(chunk));
    }

    /**
     * Writes the chunk, then claims its index entry, which carries the chunk's transaction events; completes with false
     * when another leader had claimed the offset first. Then nothing will ever point at this chunk, and it goes: unless
     * the slot is this very epoch's (a leader that reopened its log after a failed write), whose chunk it may be.
     */
    CompletableFuture<Boolean> write(ChunkInfo chunk, byte[] bytes, List<TransactionEvent> events) {
        ChunkKey key = key(chunk);
        return store.write(replicationFactor, stored(chunk), bytes, chunk.encode(events))
                .thenCompose(claimed -> claimed ? CompletableFuture.completedFuture(true)
                        : store.readIndexEntry(replicationFactor, key).thenCompose(holder -> holder != null
                                && ChunkInfo.decode(chunk.baseOffset(), holder).leaderEpoch() == chunk.leaderEpoch()
                                        ? CompletableFuture.completedFuture(false)
                                        : store.removeChunk(replicationFactor, stored(chunk))
                                                .thenApply(removed -> false)));
    }

    /**
     * Frees the index slot of a chunk that is missing, if it still holds {@code entry} as read; completes with whether
     * it did.
     */
    CompletableFuture<Boolean> releaseSlot(ChunkInfo chunk, byte[] entry) {
        return store.releaseSlot(replicationFactor, key(chunk), entry);
    }

    /**
     * Removes the chunks below {@code logEnd} that {@code indexed} (base offset, leader epoch) says no index entry points
     * at: written by a leader deposed or killed before it claimed their slots, or left by a retention removal cut
     * short. Every slot below the log end is decided, so no write still under way can make them count; one at or past
     * it might yet claim its slot, and stays. Completes with how many it removed.
     */
    CompletableFuture<Integer> removeUnindexed(long logEnd, Predicate<StoredChunk> indexed) {
        return store.storedChunks(replicationFactor, id.topicId(), id.partition()).thenCompose(chunks -> {
            List<StoredChunk> orphans = chunks.stream()
                    .filter(c -> c.key().baseOffset() < logEnd && !indexed.test(c))
                    .toList();
            return inSlices(orphans, slice -> store.removeChunks(replicationFactor, slice))
                    .thenApply(done -> orphans.size());
        });
    }

    /** Removes the chunk and its index entry. */
    CompletableFuture<Void> delete(ChunkInfo chunk) {
        return store.delete(replicationFactor, stored(chunk));
    }

    /** Stores the bytes of a cleaned chunk; no index entry points at them until {@link #swap}. */
    CompletableFuture<Void> writeCleaned(ChunkInfo cleaned, byte[] bytes) {
        return store.writeCleaned(replicationFactor, stored(cleaned), bytes);
    }

    /**
     * Puts a cleaned chunk in place of the chunks it replaces, the first of which has its base offset: its slot is
     * pointed at the cleaned chunk if it still holds the entry as read, then the others' slots are freed likewise.
     * Completes with false, changing nothing, if the first slot had changed. A swap cut short leaves the other slots
     * overlapped by the cleaned chunk; {@link LogRecovery} frees them.
     */
    CompletableFuture<Boolean> swap(ChunkInfo cleaned, List<TransactionEvent> events, List<ChunkInfo> replaced,
            List<byte[]> replacedEntries) {
        return store.replaceIndexEntry(replicationFactor, key(cleaned), replacedEntries.get(0), cleaned.encode(events))
                .thenCompose(swapped -> !swapped ? CompletableFuture.completedFuture(false)
                        : releaseSlots(replaced.subList(1, replaced.size()),
                                replacedEntries.subList(1, replacedEntries.size())).thenApply(freed -> true));
    }

    /**
     * {@link #releaseSlot} for many chunks, each slot freed only if it still holds the chunk's entry in
     * {@code entries} (in the same order), a slice at a time; completes with how many it freed.
     */
    CompletableFuture<Long> releaseSlots(List<ChunkInfo> chunks, List<byte[]> entries) {
        AtomicLong freed = new AtomicLong();
        return inSlices(IntStream.range(0, chunks.size()).boxed().toList(), slice -> {
            Map<ChunkKey, byte[]> expected = new HashMap<>();
            slice.forEach(i -> expected.put(key(chunks.get(i)), entries.get(i)));
            return store.releaseSlots(replicationFactor, expected).thenAccept(freed::addAndGet);
        }).thenApply(done -> freed.get());
    }

    /** The index entries of chunks as stored (null where a slot is free), in their order. */
    CompletableFuture<List<byte[]>> readEntries(List<ChunkInfo> chunks) {
        Map<Long, byte[]> entries = new ConcurrentHashMap<>();
        return inSlices(chunks, slice -> store.readIndexEntries(replicationFactor, slice.stream().map(this::key).toList())
                .thenAccept(entries::putAll))
                .thenApply(done -> chunks.stream().map(c -> entries.get(c.baseOffset())).toList());
    }

    /** Removes the bytes of chunks no index entry points at any more. */
    CompletableFuture<Void> removeBytes(List<ChunkInfo> chunks) {
        return inSlices(chunks, slice -> store.removeChunks(replicationFactor, slice.stream().map(this::stored).toList()));
    }

    /**
     * Runs a store operation on each slice of at most {@link #SLICE} items, one slice after the other: bulk work on
     * thousands of small chunks takes a few requests of a bounded size, which do not crowd out produce's writes on the
     * same store as thousands of single ones did.
     */
    private static <T> CompletableFuture<Void> inSlices(List<T> items, Function<List<T>, CompletableFuture<?>> operation) {
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (int from = 0; from < items.size(); from += SLICE) {
            List<T> slice = items.subList(from, Math.min(items.size(), from + SLICE));
            done = done.thenCompose(previous -> operation.apply(slice).thenApply(result -> null));
        }
        return done;
    }

    private StoredChunk stored(ChunkInfo chunk) {
        return new StoredChunk(key(chunk), chunk.leaderEpoch(), chunk.cleaning());
    }

    private ChunkKey key(ChunkInfo chunk) {
        return new ChunkKey(id.topicId(), id.partition(), chunk.baseOffset());
    }
}
