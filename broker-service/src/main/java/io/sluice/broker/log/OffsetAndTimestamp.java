package io.sluice.broker.log;

/**
 * An offset found by ListOffsets: the offset, the timestamp of the record and the leader epoch it was written in, or
 * -1s when there is none.
 */
public record OffsetAndTimestamp(long offset, long timestamp, int leaderEpoch) {

    static final OffsetAndTimestamp NONE = new OffsetAndTimestamp(-1, -1, -1);
}
