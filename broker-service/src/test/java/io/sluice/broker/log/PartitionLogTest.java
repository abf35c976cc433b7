package io.sluice.broker.log;

import static org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.broker.store.ChunkKey;
import io.sluice.broker.store.StoredChunk;
import io.sluice.protocol.record.BatchHeaders;
import io.sluice.protocol.record.BatchValidator;

/** The partition log on a real (single-node) Infinispan store. */
class PartitionLogTest {

    @RegisterExtension
    static final SingleNodeStore STORE = new SingleNodeStore("log-test");

    private static ByteBuffer batch(long producerId, int sequence, long timestamp, int records) {
        SimpleRecord[] values = new SimpleRecord[records];
        for (int i = 0; i < records; i++) {
            values[i] = new SimpleRecord(timestamp + i, null, ("v" + i).getBytes());
        }
        return producerId < 0 ? MemoryRecords.withRecords(Compression.NONE, values).buffer()
                : MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, sequence, values)
                        .buffer();
    }

    @Test
    void appendsGetGaplessOffsetsAndReadBackAsStamped() {
        PartitionLog log = STORE.open(STORE.newPartition(), 3);

        AppendResult first = log.append(batch(-1, 0, 1_000, 5)).join();
        AppendResult second = log.append(batch(-1, 0, 2_000, 2)).join();

        assertThat(first.baseOffset()).isZero();
        assertThat(second.baseOffset()).isEqualTo(5);
        assertThat(log.highWatermark()).isEqualTo(7);
        ReadResult read = log.read(0, 1 << 20, READ_UNCOMMITTED).join();
        ByteBuffer records = read.records();
        assertThat(BatchHeaders.validate(records, records.position(), records.limit())).isEqualTo(2);
        assertThat(BatchHeaders.leaderEpoch(records, records.position())).isEqualTo(3);
        ReadResult fromMiddle = log.read(6, 1 << 20, READ_UNCOMMITTED).join();
        assertThat(BatchHeaders.baseOffset(fromMiddle.records(), fromMiddle.records().position())).isEqualTo(5);
        assertThat(log.read(7, 1 << 20, READ_UNCOMMITTED).join().sizeInBytes()).isZero();
        assertThat(log.read(8, 1 << 20, READ_UNCOMMITTED).join().error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
    }

    @Test
    void retriedIdempotentBatchIsStoredOnce() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);

        AppendResult original = log.append(batch(11, 0, 1_000, 3)).join();
        AppendResult retry = log.append(batch(11, 0, 1_000, 3)).join();
        AppendResult gap = log.append(batch(11, 7, 1_000, 1)).join();

        assertThat(retry.error()).isEqualTo(Errors.NONE);
        assertThat(retry.baseOffset()).isEqualTo(original.baseOffset());
        assertThat(gap.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.highWatermark()).isEqualTo(3);
    }

    @Test
    void newLeaderRecoversOffsetsAndProducerState() {
        PartitionId id = STORE.newPartition();
        PartitionLog first = STORE.open(id, 0);
        for (int i = 0; i < 20; i++) {
            first.append(batch(21, i * 2, 1_000, 2)).join();
        }
        first.close();

        PartitionLog next = STORE.open(id, 1);

        assertThat(next.highWatermark()).isEqualTo(40);
        assertThat(next.logStartOffset()).isZero();
        assertThat(next.append(batch(21, 38, 1_000, 2)).join().baseOffset()).as("retry after failover").isEqualTo(38);
        assertThat(next.append(batch(21, 40, 1_000, 2)).join().baseOffset()).isEqualTo(40);
        assertThat(next.endOffsetForEpoch(0).endOffset()).isEqualTo(40);
    }

    @Test
    void closedLogRefusesAppends() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        log.close();

        assertThat(log.append(batch(-1, 0, 1, 1)).join().error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(log.read(0, 100, READ_UNCOMMITTED).join().error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void waitersHearOfTheNextCommit() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        AtomicBoolean heard = new AtomicBoolean();
        log.onCommitAfter(log.read(0, 100, READ_UNCOMMITTED).join().highWatermark(), () -> heard.set(true));

        assertThat(heard).isFalse();
        log.append(batch(-1, 0, 1, 1)).join();
        assertThat(heard).isTrue();
    }

    /** A commit between a fetch's read and its wait: waiting for the next one would sleep until another came. */
    @Test
    void aWaiterHearsAtOnceOfACommitSinceItsRead() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        long seen = log.read(0, 100, READ_UNCOMMITTED).join().highWatermark();
        log.append(batch(-1, 0, 1, 1)).join();
        AtomicBoolean heard = new AtomicBoolean();

        log.onCommitAfter(seen, () -> heard.set(true));
        assertThat(heard).isTrue();
    }

    @Test
    void aForgottenWaiterHearsNothing() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        AtomicBoolean heard = new AtomicBoolean();
        Runnable forget = log.onCommitAfter(log.read(0, 100, READ_UNCOMMITTED).join().highWatermark(),
                () -> heard.set(true));

        forget.run();
        log.append(batch(-1, 0, 1, 1)).join();
        assertThat(heard).isFalse();
    }

    @Test
    void findsOffsetsByTimestamp() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        log.append(batch(-1, 0, 1_000, 10)).join();
        log.append(batch(-1, 0, 5_000, 10)).join();

        assertThat(log.offsetForTimestamp(1_005, READ_UNCOMMITTED).join().offset()).isEqualTo(5);
        assertThat(log.offsetForTimestamp(4_000, READ_UNCOMMITTED).join().offset()).isEqualTo(10);
        assertThat(log.offsetForTimestamp(9_000, READ_UNCOMMITTED).join().offset()).isEqualTo(-1);
        assertThat(log.offsetForTimestamp(-1, READ_UNCOMMITTED).join().offset()).isEqualTo(20);
        assertThat(log.offsetForTimestamp(-2, READ_UNCOMMITTED).join().offset()).isZero();
        assertThat(log.offsetForTimestamp(-3, READ_UNCOMMITTED).join().offset()).isEqualTo(19);
    }

    @Test
    void retentionDeletesWholeChunksFromTheHead() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0,
                new LogSettings(1_048_588, BatchValidator.Rules.KAFKA_DEFAULTS, 60_000, -1, Cleanup.KAFKA_DEFAULTS, 1 << 20,
                        SingleNodeStore.SETTINGS.recentMemory()));
        long now = System.currentTimeMillis();
        log.append(batch(-1, 0, now - 120_000, 5)).join();
        log.append(batch(-1, 0, now, 5)).join();

        log.enforceRetention(now).join();

        assertThat(log.logStartOffset()).isEqualTo(5);
        assertThat(log.read(0, 100, READ_UNCOMMITTED).join().error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(5, 1 << 20, READ_UNCOMMITTED).join().sizeInBytes()).isPositive();
    }

    @Test
    void deletingRecordsMovesTheLogStartForThisLeaderAndTheNext() {
        PartitionId id = STORE.newPartition();
        PartitionLog log = STORE.open(id, 0);
        for (int i = 0; i < 3; i++) {
            log.append(batch(-1, 0, 1_000, 5)).join();
        }

        assertThat(log.deleteRecordsBefore(7).join()).isEqualTo(7);
        assertThat(log.deleteRecordsBefore(3).join()).as("the start never moves back").isEqualTo(7);
        assertThatThrownBy(() -> log.deleteRecordsBefore(16).join()).hasCauseInstanceOf(OffsetOutOfRangeException.class);

        assertThat(log.read(6, 1 << 20, READ_UNCOMMITTED).join().error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
        ReadResult fromStart = log.read(7, 1 << 20, READ_UNCOMMITTED).join();
        assertThat(fromStart.logStartOffset()).isEqualTo(7);
        assertThat(BatchHeaders.baseOffset(fromStart.records(), fromStart.records().position()))
                .as("the batch holding the log start").isEqualTo(5);
        assertThat(log.offsetForTimestamp(-2, READ_UNCOMMITTED).join().offset()).isEqualTo(7);
        assertThat(log.offsetForTimestamp(0, READ_UNCOMMITTED).join().offset()).isEqualTo(7);
        assertThat(STORE.store().readChunk(1, new StoredChunk(new ChunkKey(id.topicId(), id.partition(), 0), 0)).join())
                .as("the chunk wholly before the log start").isNull();
        log.close();

        PartitionLog next = STORE.open(id, 1);
        assertThat(next.logStartOffset()).isEqualTo(7);
        assertThat(next.highWatermark()).isEqualTo(15);
        assertThat(next.deleteRecordsBefore(-1).join()).as("-1: up to the high watermark").isEqualTo(15);
        next.close();

        PartitionLog emptied = STORE.open(id, 2);
        assertThat(emptied.logStartOffset()).isEqualTo(15);
        assertThat(emptied.append(batch(-1, 0, 1_000, 1)).join().baseOffset())
                .as("an emptied log goes on from its end, never handing out an offset twice").isEqualTo(15);
    }

    @Test
    void aLogThatRetentionEmptiedGoesOnFromItsEndUnderTheNextLeader() {
        PartitionId id = STORE.newPartition();
        PartitionLog log = STORE.open(id, 0,
                new LogSettings(1_048_588, BatchValidator.Rules.KAFKA_DEFAULTS, 60_000, -1, Cleanup.KAFKA_DEFAULTS, 1 << 20,
                        SingleNodeStore.SETTINGS.recentMemory()));
        long now = System.currentTimeMillis();
        log.append(batch(-1, 0, now - 120_000, 5)).join();

        log.enforceRetention(now).join();
        log.close();

        PartitionLog next = STORE.open(id, 1);
        assertThat(next.logStartOffset()).isEqualTo(5);
        assertThat(next.append(batch(-1, 0, now, 1)).join().baseOffset()).isEqualTo(5);
    }

    @Test
    void deposedLeaderWhoseWriteLostItsSlotRemovesItsChunk() {
        PartitionId id = STORE.newPartition();
        PartitionLog deposed = STORE.open(id, 1);
        PartitionLog successor = STORE.open(id, 2);
        assertThat(successor.append(batch(-1, 0, 1_000, 5)).join().error()).isEqualTo(Errors.NONE);

        assertThat(deposed.append(batch(-1, 0, 1_000, 3)).join().error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);

        ChunkKey first = new ChunkKey(id.topicId(), id.partition(), 0);
        assertThat(STORE.store().readChunk(1, new StoredChunk(first, 1)).join()).as("the deposed leader's chunk").isNull();
        assertThat(STORE.store().readChunk(1, new StoredChunk(first, 2)).join()).as("the successor's chunk").isNotNull();
    }

    @Test
    void leaderWhoseLeaseRanOutWritesNothingAndGivesUp() {
        AtomicBoolean leaseHeld = new AtomicBoolean(true);
        PartitionId id = STORE.newPartition();
        PartitionLog log = STORE.open(id, 0, SingleNodeStore.SETTINGS, leaseHeld::get);
        assertThat(log.append(batch(-1, 0, 1_000, 5)).join().error()).isEqualTo(Errors.NONE);

        leaseHeld.set(false);

        assertThat(log.append(batch(-1, 0, 1_000, 5)).join().error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(log.isClosed()).isTrue();
        assertThat(STORE.open(id, 1).highWatermark()).as("nothing of the refused write is stored").isEqualTo(5);
    }

    @Test
    void oversizedBatchIsMessageTooLarge() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0,
                new LogSettings(100, BatchValidator.Rules.KAFKA_DEFAULTS, -1, -1, Cleanup.KAFKA_DEFAULTS, 1 << 20,
                        SingleNodeStore.SETTINGS.recentMemory()));

        CompletableFuture<AppendResult> result = log.append(batch(-1, 0, 1, 20));

        assertThat(result.join().error()).isEqualTo(Errors.MESSAGE_TOO_LARGE);
    }
}
