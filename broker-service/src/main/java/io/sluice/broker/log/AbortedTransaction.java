package io.sluice.broker.log;

/** An aborted transaction: its producer, its first offset and the offset of its ABORT marker. */
public record AbortedTransaction(long producerId, long firstOffset, long lastOffset) {
}
