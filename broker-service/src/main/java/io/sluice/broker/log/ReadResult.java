package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.kafka.common.protocol.Errors;

/**
 * The answer to one partition's part of a fetch: whole batches from the fetch offset, the log's bounds and, for a
 * read_committed fetch, the aborted transactions overlapping the batches (null for read_uncommitted).
 */
public record ReadResult(Errors error, ByteBuffer records, long highWatermark, long lastStableOffset,
        long logStartOffset, List<AbortedTransaction> abortedTransactions) {

    private static final ByteBuffer NONE = ByteBuffer.allocate(0);

    public static ReadResult failed(Errors error) {
        return new ReadResult(error, NONE, -1, -1, -1, null);
    }

    static ReadResult empty(long highWatermark, long lastStableOffset, long logStartOffset, boolean readCommitted) {
        return new ReadResult(Errors.NONE, NONE, highWatermark, lastStableOffset, logStartOffset,
                readCommitted ? List.of() : null);
    }

    /** The same bounds without the batches: what a fetch answers for a partition that did not fit its budget. */
    public ReadResult withoutRecords() {
        return new ReadResult(error, NONE, highWatermark, lastStableOffset, logStartOffset,
                abortedTransactions == null ? null : List.of());
    }

    public int sizeInBytes() {
        return records.remaining();
    }
}
