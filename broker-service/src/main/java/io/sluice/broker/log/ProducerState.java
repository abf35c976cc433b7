package io.sluice.broker.log;

/**
 * What a partition's leader knows of one idempotent or transactional producer (DescribeProducers): its epoch, last
 * sequence, the max timestamp of its last batch, the coordinator epoch of its last marker and the first offset of its
 * open transaction; -1 for what it has not had.
 */
public record ProducerState(long producerId, short epoch, int lastSequence, long lastTimestamp, int coordinatorEpoch,
        long currentTxnStartOffset) {
}
