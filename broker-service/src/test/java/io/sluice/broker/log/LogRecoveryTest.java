package io.sluice.broker.log;

import static org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.broker.store.ChunkKey;
import io.sluice.broker.store.StoredChunk;
import io.sluice.protocol.record.BatchHeaders;

/** A new leader rebuilds the log from what the store holds, including what a failed write left behind. */
class LogRecoveryTest {

    @RegisterExtension
    static final SingleNodeStore STORE = new SingleNodeStore("recovery-test");

    private static ByteBuffer batch(int records) {
        SimpleRecord[] values = new SimpleRecord[records];
        Arrays.setAll(values, i -> new SimpleRecord(1_000 + i, null, ("v" + i).getBytes()));
        return MemoryRecords.withRecords(Compression.NONE, values).buffer();
    }

    /** Writes a chunk of one batch at {@code baseOffset} to the store as a leader of {@code leaderEpoch} would. */
    private static void writeChunk(PartitionId id, long baseOffset, int records, int leaderEpoch) {
        writeChunk(id, baseOffset, records, leaderEpoch, leaderEpoch);
    }

    /** The same, but with the chunk's bytes under another epoch than its index entry names: its bytes are missing. */
    private static void writeChunk(PartitionId id, long baseOffset, int records, int leaderEpoch, int bytesEpoch) {
        ByteBuffer batch = batch(records);
        BatchHeaders.setBaseOffset(batch, batch.position(), baseOffset);
        BatchHeaders.setLeaderEpoch(batch, batch.position(), bytesEpoch);
        byte[] bytes = new byte[batch.remaining()];
        batch.duplicate().get(bytes);
        ChunkInfo entry = new ChunkInfo(baseOffset, baseOffset + records - 1, 1_000 + records - 1, bytes.length,
                leaderEpoch);
        assertThat(STORE.store()
                .write(1, new StoredChunk(new ChunkKey(id.topicId(), id.partition(), baseOffset), bytesEpoch), bytes,
                        entry.encode(List.of()))
                .join()).isTrue();
    }

    @Test
    void newLeaderStartsAfterTheChunksInTheStore() {
        PartitionId id = STORE.newPartition();
        writeChunk(id, 0, 5, 0);
        writeChunk(id, 5, 3, 1);

        PartitionLog log = STORE.open(id, 2);

        assertThat(log.logStartOffset()).isZero();
        assertThat(log.highWatermark()).isEqualTo(8);
        assertThat(log.lastStableOffset()).isEqualTo(8);
        assertThat(log.read(0, 1 << 20, READ_UNCOMMITTED).join().sizeInBytes()).isPositive();
        assertThat(log.endOffsetForEpoch(0).endOffset()).isEqualTo(5);
    }

    @Test
    void chunksBelowTheLogEndThatNoEntryPointsAtAreRemovedOnceANewLeaderHasRecovered() {
        PartitionId id = STORE.newPartition();
        writeChunk(id, 0, 5, 0);
        // Leaders of epoch 0 that wrote offsets 5 and 10 but were killed before their slots were theirs.
        writeUnindexedChunk(id, 5, 0);
        writeUnindexedChunk(id, 10, 0);
        writeChunk(id, 5, 5, 1);

        STORE.open(id, 2);

        ChunkKey at5 = new ChunkKey(id.topicId(), id.partition(), 5);
        ChunkKey at10 = new ChunkKey(id.topicId(), id.partition(), 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> STORE.store().readChunk(1, new StoredChunk(at5, 0)).join() == null);
        assertThat(STORE.store().readChunk(1, new StoredChunk(at5, 1)).join()).as("the chunk its entry points at").isNotNull();
        assertThat(STORE.store().readChunk(1, new StoredChunk(at10, 0)).join())
                .as("at the log end: a write that may yet claim its slot").isNotNull();
    }

    private static void writeUnindexedChunk(PartitionId id, long baseOffset, int leaderEpoch) {
        ChunkKey key = new ChunkKey(id.topicId(), id.partition(), baseOffset);
        byte[] entry = new ChunkInfo(baseOffset, baseOffset, 0, 1, leaderEpoch).encode(List.of());
        assertThat(STORE.store().write(1, new StoredChunk(key, leaderEpoch), new byte[] { 1 }, entry).join()).isTrue();
        assertThat(STORE.store().releaseSlot(1, key, entry).join()).isTrue();
    }

    @Test
    void everySlotACleaningCutShortLeftOverlappedIsFreedThoughThereAreSeveralSlicesOfThem() {
        int overlapped = 2_500;
        PartitionId id = STORE.newPartition();
        // As a cleaned chunk swapped in for offsets 0..2500 whose leader died before it freed the replaced slots.
        writeChunk(id, 0, overlapped + 1, 0);
        CompletableFuture.allOf(LongStream.rangeClosed(1, overlapped).mapToObj(offset -> STORE.store()
                .write(1, new StoredChunk(new ChunkKey(id.topicId(), id.partition(), offset), 0), new byte[] { 1 },
                        new ChunkInfo(offset, offset, 0, 1, 0).encode(List.of())))
                .toArray(CompletableFuture[]::new)).join();
        writeChunk(id, overlapped + 1, 3, 0);

        PartitionLog log = STORE.open(id, 1);

        assertThat(STORE.store().readIndexEntries(1, LongStream.rangeClosed(1, overlapped)
                .mapToObj(offset -> new ChunkKey(id.topicId(), id.partition(), offset)).toList()).join())
                .as("overlapped slots still held").isEmpty();
        assertThat(log.highWatermark()).isEqualTo(overlapped + 4);
        assertThat(batches(log.read(0, 1 << 20, READ_UNCOMMITTED).join())).containsExactly("0..2500@0",
                "2501..2503@0");
        PartitionLog next = STORE.open(id, 2);
        assertThat(next.highWatermark()).isEqualTo(overlapped + 4);
    }

    @Test
    void newestEntryWithoutItsChunkIsAWriteThatNeverFinishedAndIsDropped() {
        PartitionId id = STORE.newPartition();
        writeChunk(id, 0, 5, 0);
        writeChunk(id, 5, 5, 0);
        writeChunk(id, 10, 5, 1, 0);

        PartitionLog log = STORE.open(id, 2);

        assertThat(log.highWatermark()).isEqualTo(10);
        assertThat(log.endOffsetForEpoch(1).endOffset()).as("nothing of epoch 1 survived").isEqualTo(10);
        assertThat(log.read(10, 1 << 20, READ_UNCOMMITTED).join().sizeInBytes()).isZero();
    }

    @Test
    void newLeaderWritesWhereAnUnfinishedWriteLeftItsClaimAndTheNextLeaderReadsItAll() {
        PartitionId id = STORE.newPartition();
        writeChunk(id, 0, 5, 0);
        writeChunk(id, 5, 5, 0);
        // Claimed by epoch 1, which never wrote its bytes; epoch 0's bytes there lost the claim and were never acked.
        writeChunk(id, 10, 5, 1, 0);

        PartitionLog leader = STORE.open(id, 2);
        AppendResult first = leader.append(batch(3)).join();
        AppendResult second = leader.append(batch(2)).join();

        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(first.baseOffset()).isEqualTo(10);
        assertThat(second.baseOffset()).isEqualTo(13);
        assertThat(leader.highWatermark()).isEqualTo(15);
        leader.close();
        PartitionLog next = STORE.open(id, 3);
        assertThat(next.highWatermark()).isEqualTo(15);
        assertThat(batches(next.read(0, 1 << 20, READ_UNCOMMITTED).join()))
                .containsExactly("0..4@0", "5..9@0", "10..12@2", "13..14@2");
    }

    /** Each batch read as {@code baseOffset..lastOffset@leaderEpoch}. */
    private static List<String> batches(ReadResult read) {
        ByteBuffer records = read.records();
        List<String> batches = new ArrayList<>();
        for (int pos = records.position(); pos < records.limit(); pos += BatchHeaders.size(records, pos)) {
            batches.add(BatchHeaders.baseOffset(records, pos) + ".." + BatchHeaders.lastOffset(records, pos) + "@"
                    + BatchHeaders.leaderEpoch(records, pos));
        }
        return batches;
    }

    @Test
    void olderEntryWithoutItsChunkFailsTheTakeover() {
        PartitionId id = STORE.newPartition();
        writeChunk(id, 0, 5, 0);
        writeChunk(id, 5, 5, 1, 0);
        writeChunk(id, 10, 5, 1);

        assertThatThrownBy(() -> STORE.open(id, 2)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("chunk at offset 5 is missing");
    }
}
