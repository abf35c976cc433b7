package io.sluice.coordinator.txn;

/** A topic partition written to inside a transaction. */
public record TxnPartition(String topic, int partition) {
}
