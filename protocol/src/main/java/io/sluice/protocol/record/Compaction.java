package io.sluice.protocol.record;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter.BatchRetention;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter.BatchRetentionResult;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;

/**
 * One pass of log compaction over a partition's batches, from its log start, in offset order: Kafka's cleaner rules,
 * applied through Kafka's own batch filter ({@link MemoryRecords#filterTo}), which keeps offsets, producer fields and
 * compression and stamps the delete horizon (KIP-534).
 * <ul>
 * <li>A record is kept if no later record of the dirty part has its key; a record without a key goes.
 * <li>A tombstone (null value) is kept until the delete horizon of its batch: {@code delete.retention.ms} after the
 * pass that first found it.
 * <li>Records of aborted transactions go. A transaction marker goes once its delete horizon has passed and no batch of
 * its transaction is left before it (an ABORT's batches go in the same pass; a COMMIT's as their keys are superseded).
 * <li>Batches left empty go.
 * </ul>
 * A pass is used by one thread, chunk after chunk.
 */
public final class Compaction {

    /** The newest offset of each key in the dirty part of the log (-1 for a key it does not hold). */
    @FunctionalInterface
    public interface LatestOffsets {
        long latest(ByteBuffer key);
    }

    /** Whether the batch at {@code offset} of {@code producerId} belongs to an aborted transaction. */
    @FunctionalInterface
    public interface AbortedTransactions {
        boolean covers(long producerId, long offset);
    }

    /** Sees each key of a chunk and the offset of its record. */
    @FunctionalInterface
    public interface KeyVisitor {
        void visit(ByteBuffer key, long offset);
    }

    /** A chunk after cleaning: its batches, their newest timestamp (-1 for none), and records read and kept. */
    public record Cleaned(byte[] bytes, long maxTimestamp, int recordsRead, int recordsKept) {
    }

    private final LatestOffsets latest;
    private final AbortedTransactions aborted;
    private final long now;
    private final long deleteRetentionMs;
    /** Producers with a committed transaction whose batches were seen in this pass, before its marker. */
    private final Set<Long> committedWithBatches = new HashSet<>();

    public Compaction(LatestOffsets latest, AbortedTransactions aborted, long now, long deleteRetentionMs) {
        this.latest = latest;
        this.aborted = aborted;
        this.now = now;
        this.deleteRetentionMs = deleteRetentionMs;
    }

    /** Visits the key of every record in a chunk's data batches, aborted transactions left out. */
    public static void forEachKey(byte[] chunk, AbortedTransactions aborted, KeyVisitor visitor) {
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(ByteBuffer.wrap(chunk)).batches()) {
            if (batch.isControlBatch()
                    || (batch.isTransactional() && aborted.covers(batch.producerId(), batch.baseOffset()))) {
                continue;
            }
            for (Record record : batch) {
                if (record.hasKey()) {
                    visitor.visit(record.key(), record.offset());
                }
            }
        }
    }

    /** Cleans the next chunk of the pass. */
    public Cleaned clean(byte[] chunk) {
        ByteBuffer source = ByteBuffer.wrap(chunk);
        ByteBuffer out = ByteBuffer.allocate(chunk.length);
        Filter filter = new Filter(now, deleteRetentionMs);
        int read = 0;
        int kept = 0;
        long maxTimestamp = -1;
        while (source.hasRemaining()) {
            MemoryRecords.FilterResult result = MemoryRecords.readableRecords(source.slice())
                    .filterTo(filter, out, BufferSupplier.NO_CACHING);
            source.position(source.position() + result.bytesRead());
            // The filter stops early when it had to grow its output (a batch rewritten larger): go on in that buffer.
            out = result.outputBuffer();
            read += result.messagesRead();
            kept += result.messagesRetained();
            maxTimestamp = Math.max(maxTimestamp, result.maxTimestamp());
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return new Cleaned(bytes, maxTimestamp, read, kept);
    }

    private final class Filter extends MemoryRecords.RecordFilter {

        private boolean discardRecords;

        Filter(long now, long deleteRetentionMs) {
            super(now, deleteRetentionMs);
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            boolean discardable = batch.isControlBatch() ? markerDiscardable(batch) : inAbortedTransaction(batch);
            discardRecords = batch.isControlBatch()
                    ? discardable && batch.deleteHorizonMs().isPresent() && batch.deleteHorizonMs().getAsLong() <= now
                    : discardable;
            return new BatchRetentionResult(discardRecords ? BatchRetention.DELETE : BatchRetention.DELETE_EMPTY,
                    discardable && batch.isControlBatch());
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (discardRecords) {
                return false;
            }
            if (batch.isControlBatch()) {
                return true;
            }
            if (!record.hasKey() || record.offset() < latest.latest(record.key())) {
                return false;
            }
            return record.hasValue() || batch.deleteHorizonMs().isEmpty() || now < batch.deleteHorizonMs().getAsLong();
        }

        private boolean inAbortedTransaction(RecordBatch batch) {
            if (!batch.isTransactional()) {
                return false;
            }
            if (aborted.covers(batch.producerId(), batch.baseOffset())) {
                return true;
            }
            committedWithBatches.add(batch.producerId());
            return false;
        }

        /**
         * An ABORT marker's batches all go in the pass that reaches it; a COMMIT marker stays while a batch of its
         * transaction was seen before it.
         */
        private boolean markerDiscardable(RecordBatch batch) {
            Iterator<Record> records = batch.iterator();
            if (!records.hasNext()) {
                return true;
            }
            ControlRecordType type = ControlRecordType.parse(records.next().key());
            if (type == ControlRecordType.ABORT) {
                return true;
            }
            return type == ControlRecordType.COMMIT && !committedWithBatches.remove(batch.producerId());
        }
    }
}
