package io.sluice.broker.log;

import java.nio.ByteBuffer;

import org.apache.kafka.common.protocol.Errors;

/** The answer to one partition's part of a fetch: whole batches from the fetch offset, and the log's bounds. */
public record ReadResult(Errors error, ByteBuffer records, long highWatermark, long logStartOffset) {

    private static final ByteBuffer NONE = ByteBuffer.allocate(0);

    public static ReadResult failed(Errors error) {
        return new ReadResult(error, NONE, -1, -1);
    }

    public static ReadResult empty(long highWatermark, long logStartOffset) {
        return new ReadResult(Errors.NONE, NONE, highWatermark, logStartOffset);
    }

    public int sizeInBytes() {
        return records.remaining();
    }
}
