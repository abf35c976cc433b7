package io.sluice.coordinator.txn;

/** Where a transactional id's current transaction is, as Kafka's transaction coordinator tracks it. */
public enum TransactionState {
    EMPTY,
    ONGOING,
    PREPARE_COMMIT,
    PREPARE_ABORT,
    COMPLETE_COMMIT,
    COMPLETE_ABORT;

    boolean preparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }
}
