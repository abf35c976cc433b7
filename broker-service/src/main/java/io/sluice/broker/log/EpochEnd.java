package io.sluice.broker.log;

/** Where a leader epoch ended: the first offset written in a later epoch, or -1s for an epoch unknown here. */
public record EpochEnd(int leaderEpoch, long endOffset) {
}
