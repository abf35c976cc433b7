package io.sluice.protocol.record;

import java.nio.ByteBuffer;

import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * What needs the records inside batches, through Kafka's record classes (the one place that knows them): a message's
 * records field as plain bytes, transaction markers, timestamp search. {@link BatchHeaders} reads the headers alone.
 */
public final class BatchRecords {

    private BatchRecords() {
    }

    /** The bytes of a request's or response's records, shared, not copied; empty for null. */
    public static ByteBuffer bytes(BaseRecords records) {
        if (records == null) {
            return ByteBuffer.allocate(0);
        }
        if (records instanceof MemoryRecords memory) {
            return memory.buffer();
        }
        throw new IllegalArgumentException("records of type " + records.getClass().getSimpleName());
    }

    /** Wraps bytes (whole batches) as records for a message, without copying. */
    public static BaseRecords records(ByteBuffer bytes) {
        return MemoryRecords.readableRecords(bytes);
    }

    public static BaseRecords empty() {
        return MemoryRecords.EMPTY;
    }

    /**
     * A control batch ending a transaction: magic 2, transactional and control flags, one COMMIT or ABORT marker
     * record. Base offset and partition leader epoch are left for the log to stamp.
     */
    public static ByteBuffer endTransactionMarker(long producerId, short producerEpoch, int coordinatorEpoch,
            boolean commit, long timestamp) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? ControlRecordType.COMMIT
                : ControlRecordType.ABORT, coordinatorEpoch);
        return MemoryRecords.withEndTransactionMarker(timestamp, producerId, producerEpoch, marker).buffer();
    }

    /**
     * The coordinator epoch in the COMMIT or ABORT marker of a control batch (one whole batch), or -1 for any other
     * control record.
     */
    public static int markerCoordinatorEpoch(ByteBuffer controlBatch) {
        RecordBatch batch = MemoryRecords.readableRecords(controlBatch.duplicate()).batches().iterator().next();
        Record record = batch.iterator().next();
        ControlRecordType type = ControlRecordType.parse(record.key());
        return type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT
                ? EndTransactionMarker.deserialize(record).coordinatorEpoch()
                : -1;
    }

    /** A record found by timestamp search, with the leader epoch its batch was appended under. */
    public record Found(long offset, long timestamp, int leaderEpoch) {
    }

    /**
     * The first record at or after {@code timestamp} in the batches of {@code chunk}, decompressing only batches
     * whose max timestamp reaches it; null if none does.
     */
    public static Found firstAtOrAfter(ByteBuffer chunk, long timestamp, long fromOffset) {
        for (RecordBatch batch : MemoryRecords.readableRecords(chunk.duplicate()).batches()) {
            if (batch.maxTimestamp() < timestamp || batch.lastOffset() < fromOffset || batch.isControlBatch()) {
                continue;
            }
            for (Record record : batch) {
                long ts = batch.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                        ? batch.maxTimestamp()
                        : record.timestamp();
                if (record.offset() >= fromOffset && ts >= timestamp) {
                    return new Found(record.offset(), ts, batch.partitionLeaderEpoch());
                }
            }
        }
        return null;
    }

    /** The record with the largest timestamp in the chunk (the earliest such record), or null if it has none. */
    public static Found maxTimestamp(ByteBuffer chunk) {
        Found best = null;
        for (RecordBatch batch : MemoryRecords.readableRecords(chunk.duplicate()).batches()) {
            if (batch.isControlBatch() || (best != null && batch.maxTimestamp() <= best.timestamp())) {
                continue;
            }
            for (Record record : batch) {
                long ts = batch.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                        ? batch.maxTimestamp()
                        : record.timestamp();
                if (best == null || ts > best.timestamp()) {
                    best = new Found(record.offset(), ts, batch.partitionLeaderEpoch());
                }
            }
        }
        return best;
    }
}
