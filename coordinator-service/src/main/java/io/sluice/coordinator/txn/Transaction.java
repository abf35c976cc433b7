package io.sluice.coordinator.txn;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One transactional id: its producer id and epoch and the transaction it has open, if any. */
final class Transaction {

    final String transactionalId;
    long producerId;
    short producerEpoch;
    int timeoutMs;
    TransactionState state;
    final Set<TxnPartition> partitions = new LinkedHashSet<>();
    final Set<String> groups = new LinkedHashSet<>();
    long startedAtMs;

    Transaction(String transactionalId, long producerId, short producerEpoch, int timeoutMs,
            TransactionState state) {
        this.transactionalId = transactionalId;
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.timeoutMs = timeoutMs;
        this.state = state;
    }

    /** As persisted in the coordinators' state. */
    record Record(String transactionalId, long producerId, short producerEpoch, int timeoutMs,
            TransactionState state, List<TxnPartition> partitions, List<String> groups, long startedAtMs) {
    }

    Record record() {
        return new Record(transactionalId, producerId, producerEpoch, timeoutMs, state, List.copyOf(partitions),
                List.copyOf(groups), startedAtMs);
    }

    static Transaction of(Record r) {
        Transaction t = new Transaction(r.transactionalId(), r.producerId(), r.producerEpoch(), r.timeoutMs(),
                r.state());
        t.partitions.addAll(r.partitions());
        t.groups.addAll(r.groups());
        t.startedAtMs = r.startedAtMs();
        return t;
    }
}
