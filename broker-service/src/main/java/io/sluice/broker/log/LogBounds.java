package io.sluice.broker.log;

/** A log's offsets at one moment, as one read sees them; the last stable offset is never above the high watermark. */
record LogBounds(long logStartOffset, long highWatermark, long lastStableOffset) {

    /** Where a read stops: the last stable offset for read_committed, the high watermark otherwise. */
    long readLimit(boolean readCommitted) {
        return readCommitted ? lastStableOffset : highWatermark;
    }
}
