package io.sluice.broker.log;

/** An offset found by ListOffsets: the offset and the timestamp of the record, or -1s. */
public record OffsetAndTimestamp(long offset, long timestamp) {

    static final OffsetAndTimestamp NONE = new OffsetAndTimestamp(-1, -1);
}
