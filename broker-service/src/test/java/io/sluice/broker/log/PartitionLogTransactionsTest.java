package io.sluice.broker.log;

import static org.apache.kafka.common.IsolationLevel.READ_COMMITTED;
import static org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.protocol.record.BatchRecords;
import io.sluice.protocol.record.BatchValidator;

/** Transactions in the partition log on a real (single-node) Infinispan store: markers, LSO, aborted list, rebuild. */
class PartitionLogTransactionsTest {

    private static final short EPOCH = 0;

    @RegisterExtension
    static final SingleNodeStore STORE = new SingleNodeStore("log-txn-test");

    private static SimpleRecord[] values(int count) {
        SimpleRecord[] values = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            values[i] = new SimpleRecord(1_000 + i, null, ("v" + i).getBytes());
        }
        return values;
    }

    private static ByteBuffer plain(int records) {
        return MemoryRecords.withRecords(Compression.NONE, values(records)).buffer();
    }

    private static ByteBuffer transactional(long producerId, short epoch, int sequence, int records) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, sequence, values(records))
                .buffer();
    }

    private static long append(PartitionLog log, ByteBuffer batch) {
        AppendResult result = log.append(batch).join();
        assertThat(result.error()).as(result.message()).isEqualTo(Errors.NONE);
        return result.baseOffset();
    }

    private static long mark(PartitionLog log, long producerId, boolean commit) {
        AppendResult result = log.appendMarker(producerId, EPOCH, 0, commit).join();
        assertThat(result.error()).as(result.message()).isEqualTo(Errors.NONE);
        return result.baseOffset();
    }

    private static List<RecordBatch> batches(ReadResult read) {
        List<RecordBatch> batches = new ArrayList<>();
        MemoryRecords.readableRecords(read.records().duplicate()).batches().forEach(batches::add);
        return batches;
    }

    @Test
    void transactionalAppendsHoldTheLastStableOffsetBack() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        append(log, plain(2));
        long first = append(log, transactional(7, EPOCH, 0, 3));
        append(log, plain(2));

        assertThat(first).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(7);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        ReadResult committed = log.read(0, 1 << 20, READ_COMMITTED).join();
        assertThat(batches(committed)).extracting(RecordBatch::lastOffset).containsExactly(1L);
        assertThat(committed.lastStableOffset()).isEqualTo(2);
        assertThat(committed.abortedTransactions()).isEmpty();
        assertThat(log.read(2, 1 << 20, READ_COMMITTED).join().sizeInBytes()).isZero();
        assertThat(log.read(5, 1 << 20, READ_COMMITTED).join().error()).isEqualTo(Errors.NONE);
        ReadResult uncommitted = log.read(0, 1 << 20, READ_UNCOMMITTED).join();
        assertThat(batches(uncommitted)).hasSize(3);
        assertThat(uncommitted.lastStableOffset()).isEqualTo(2);
        assertThat(uncommitted.abortedTransactions()).isNull();
        assertThat(log.offsetForTimestamp(-1, READ_COMMITTED).join().offset()).isEqualTo(2);
        assertThat(log.offsetForTimestamp(-1, READ_UNCOMMITTED).join().offset()).isEqualTo(7);
    }

    @Test
    void commitMarkerReleasesTheLastStableOffset() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        append(log, transactional(7, EPOCH, 0, 3));
        append(log, plain(2));

        long marker = mark(log, 7, true);

        assertThat(marker).isEqualTo(5);
        assertThat(log.highWatermark()).isEqualTo(6);
        assertThat(log.lastStableOffset()).isEqualTo(6);
        ReadResult committed = log.read(0, 1 << 20, READ_COMMITTED).join();
        assertThat(batches(committed)).extracting(RecordBatch::isControlBatch).containsExactly(false, false, true);
        assertThat(committed.abortedTransactions()).isEmpty();
        assertThat(log.offsetForTimestamp(-1, READ_COMMITTED).join().offset()).isEqualTo(6);
    }

    @Test
    void abortMarkerRecordsAnAbortedTransaction() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        append(log, plain(1));
        append(log, transactional(8, EPOCH, 0, 2));
        append(log, transactional(8, EPOCH, 2, 2));

        long marker = mark(log, 8, false);

        assertThat(marker).isEqualTo(5);
        assertThat(log.lastStableOffset()).isEqualTo(6);
        assertThat(log.read(0, 1 << 20, READ_COMMITTED).join().abortedTransactions())
                .containsExactly(new AbortedTransaction(8, 1, 5));
        assertThat(log.read(6, 1 << 20, READ_COMMITTED).join().abortedTransactions()).isEmpty();
    }

    @Test
    void readCommittedCutsAChunkAtTheLastStableOffset() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        // The first append is written at once; the next three wait for it and share one chunk.
        CompletableFuture<AppendResult> alone = log.append(plain(1));
        CompletableFuture<AppendResult> before = log.append(plain(2));
        CompletableFuture<AppendResult> begins = log.append(transactional(9, EPOCH, 0, 2));
        CompletableFuture<AppendResult> after = log.append(plain(2));
        CompletableFuture.allOf(alone, before, begins, after).join();

        assertThat(log.lastStableOffset()).isEqualTo(3);
        for (long offset = 0; offset < log.highWatermark(); offset++) {
            ReadResult read = log.read(offset, 1 << 20, READ_COMMITTED).join();
            assertThat(read.error()).isEqualTo(Errors.NONE);
            assertThat(batches(read)).as("read from %d", offset)
                    .allSatisfy(b -> assertThat(b.lastOffset()).isLessThan(3));
        }
        assertThat(batches(log.read(1, 1 << 20, READ_COMMITTED).join())).extracting(RecordBatch::baseOffset)
                .containsExactly(1L);
    }

    @Test
    void abortedListHoldsExactlyTheTransactionsOverlappingTheReturnedData() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        append(log, transactional(1, EPOCH, 0, 2));
        mark(log, 1, false);
        append(log, transactional(2, EPOCH, 0, 2));
        mark(log, 2, true);
        append(log, transactional(3, EPOCH, 0, 2));
        mark(log, 3, false);
        append(log, plain(1));

        assertThat(log.read(0, 1 << 20, READ_COMMITTED).join().abortedTransactions())
                .containsExactly(new AbortedTransaction(1, 0, 2), new AbortedTransaction(3, 6, 8));
        assertThat(log.read(0, 1, READ_COMMITTED).join().abortedTransactions()).as("only the first batch")
                .containsExactly(new AbortedTransaction(1, 0, 2));
        assertThat(log.read(3, 1 << 20, READ_COMMITTED).join().abortedTransactions())
                .containsExactly(new AbortedTransaction(3, 6, 8));
        assertThat(log.read(9, 1 << 20, READ_COMMITTED).join().abortedTransactions()).isEmpty();
    }

    @Test
    void newLeaderRebuildsTheLastStableOffsetAndTheAbortedList() {
        PartitionId id = STORE.newPartition();
        PartitionLog first = STORE.open(id, 0);
        append(first, transactional(1, EPOCH, 0, 2));
        mark(first, 1, false);
        append(first, transactional(2, EPOCH, 0, 2));
        // More chunks after the open transaction began than a new leader replays for producer state.
        for (int i = 0; i < 12; i++) {
            append(first, plain(1));
        }
        long lso = first.lastStableOffset();
        List<AbortedTransaction> aborted = first.read(0, 1 << 20, READ_COMMITTED).join().abortedTransactions();
        first.close();

        PartitionLog next = STORE.open(id, 1);

        assertThat(lso).isEqualTo(3);
        assertThat(next.lastStableOffset()).isEqualTo(lso);
        assertThat(next.highWatermark()).isEqualTo(17);
        assertThat(next.read(0, 1 << 20, READ_COMMITTED).join().abortedTransactions()).isEqualTo(aborted)
                .containsExactly(new AbortedTransaction(1, 0, 2));
        assertThat(next.append(plain(1)).join().error()).isEqualTo(Errors.NONE);
        assertThat(next.append(MemoryRecords.withIdempotentRecords(Compression.NONE, 2, EPOCH, 0, values(1)).buffer())
                .join().error()).as("the new leader knows the transaction is open").isEqualTo(Errors.INVALID_TXN_STATE);

        mark(next, 2, true);

        assertThat(next.lastStableOffset()).isEqualTo(next.highWatermark()).isEqualTo(19);
        PartitionLog third = STORE.open(id, 2);
        assertThat(third.lastStableOffset()).isEqualTo(19);
        assertThat(third.read(0, 1 << 20, READ_COMMITTED).join().abortedTransactions())
                .containsExactly(new AbortedTransaction(1, 0, 2));
    }

    @Test
    void olderEpochsAreFencedAndTransactionsStayTransactional() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        append(log, transactional(4, (short) 3, 0, 1));

        assertThat(log.appendMarker(4, (short) 2, 0, true).join().error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(log.append(transactional(4, (short) 2, 1, 1)).join().error())
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(log.append(MemoryRecords.withIdempotentRecords(Compression.NONE, 4, (short) 3, 1, values(1))
                .buffer()).join().error()).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(log.appendMarker(4, (short) 4, 0, false).join().error()).as("a bumped epoch aborts")
                .isEqualTo(Errors.NONE);
        assertThat(log.append(transactional(4, (short) 3, 1, 1)).join().error()).as("fenced by the marker")
                .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(log.lastStableOffset()).isEqualTo(log.highWatermark()).isEqualTo(2);
    }

    @Test
    void aMarkerFromAnOlderCoordinatorIsFencedAtThisLeaderAndTheNext() {
        PartitionId id = STORE.newPartition();
        PartitionLog first = STORE.open(id, 0);
        append(first, transactional(5, EPOCH, 0, 1));
        assertThat(first.appendMarker(5, EPOCH, 4, true).join().error()).isEqualTo(Errors.NONE);
        append(first, transactional(5, EPOCH, 1, 1));

        assertThat(first.appendMarker(5, EPOCH, 3, false).join().error())
                .isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        first.close();
        PartitionLog next = STORE.open(id, 1);
        assertThat(next.appendMarker(5, EPOCH, 3, false).join().error())
                .isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        assertThat(next.lastStableOffset()).isEqualTo(2);
        assertThat(next.appendMarker(5, EPOCH, 4, false).join().error()).isEqualTo(Errors.NONE);
        assertThat(next.lastStableOffset()).isEqualTo(4);
    }

    @Test
    void clientsMayNotWriteControlBatches() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);

        AppendResult result = log.append(BatchRecords.endTransactionMarker(5, EPOCH, 0, true, 1_000)).join();

        assertThat(result.error()).isEqualTo(Errors.INVALID_RECORD);
        assertThat(log.highWatermark()).isZero();
    }

    @Test
    void markerWithoutAnOpenTransactionIsWrittenAndChangesNothing() {
        PartitionLog log = STORE.open(STORE.newPartition(), 0);
        append(log, plain(1));

        mark(log, 6, false);

        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(log.read(0, 1 << 20, READ_COMMITTED).join().abortedTransactions()).isEmpty();
    }

    @Test
    void retentionKeepsTheChunksOfAnOngoingTransaction() {
        PartitionId id = STORE.newPartition();
        PartitionLog log = STORE.open(id, 0,
                new LogSettings(1_048_588, BatchValidator.Rules.KAFKA_DEFAULTS, -1, 0, Cleanup.KAFKA_DEFAULTS, 1 << 20,
                        SingleNodeStore.SETTINGS.recentMemory()));
        append(log, plain(1));
        append(log, transactional(3, EPOCH, 0, 1));
        append(log, plain(1));

        log.enforceRetention(System.currentTimeMillis()).join();

        assertThat(log.logStartOffset()).isEqualTo(1);
        log.close();
        assertThat(STORE.open(id, 1).lastStableOffset()).isEqualTo(1);
    }
}
