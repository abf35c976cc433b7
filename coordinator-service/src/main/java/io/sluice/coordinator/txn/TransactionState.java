package io.sluice.coordinator.txn;

import java.util.Set;

/** Where a transactional id's current transaction is, as Kafka's transaction coordinator tracks it. */
public enum TransactionState {
    EMPTY("Empty"),
    ONGOING("Ongoing"),
    PREPARE_COMMIT("PrepareCommit"),
    PREPARE_ABORT("PrepareAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    COMPLETE_ABORT("CompleteAbort");

    /** Kafka's states that this coordinator never has: a filter naming one is known, and matches nothing. */
    static final Set<String> NEVER_HELD = Set.of("Dead", "PrepareEpochFence");

    /** As Kafka names it in ListTransactions and DescribeTransactions. */
    final String kafkaName;

    TransactionState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    boolean preparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }
}
