package io.sluice.broker.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.Errors;

/**
 * Idempotent and transactional producer state of one partition as appended (durable or not): per producer id its
 * epoch and its last five batches, enough to spot a retried batch (answered with its original offset, stored once)
 * and a gap in sequences, and the first offset of its open transaction. Not thread-safe: the owning
 * {@link PartitionLog} guards it, and {@link LogRecovery} before it.
 */
final class ProducerStateTable {

    static final int BATCHES_KEPT = 5;

    /** One batch a producer sent: its sequence range and where it landed (the future completes on commit). */
    record SentBatch(int firstSeq, int lastSeq, CompletableFuture<Long> baseOffset) {
    }

    /** The outcome of checking a batch against the producer's state. */
    sealed interface Check permits Accept, Duplicate, Reject {
    }

    record Accept() implements Check {
    }

    record Duplicate(SentBatch original) implements Check {
    }

    record Reject(Errors error, String message) implements Check {
    }

    private static final class Producer {
        short epoch;
        /** The max timestamp of the producer's last batch; -1 before any. */
        long lastTimestamp = -1;
        /** Of the last marker written for this producer; -1 before any. */
        int coordinatorEpoch = -1;
        final ArrayDeque<SentBatch> recent = new ArrayDeque<>();

        int lastSeq() {
            return recent.isEmpty() ? -1 : recent.peekLast().lastSeq();
        }
    }

    private final Map<Long, Producer> producers = new HashMap<>();
    /**
     * Producer id to the first offset of its open transaction. Apart from {@link #producers}: a new leader knows a
     * transaction begun long ago from the index, while it rebuilds sequences only from the last chunks.
     */
    private final Map<Long, Long> openTransactions = new HashMap<>();

    Check check(long producerId, short epoch, int firstSeq, int lastSeq) {
        Producer producer = producers.get(producerId);
        if (producer == null) {
            // A producer this log does not know may only start at sequence 0: a later batch may have overtaken an
            // earlier one that failed. UNKNOWN_PRODUCER_ID makes the client bump its epoch and resend in order.
            return firstSeq == 0 ? new Accept()
                    : new Reject(Errors.UNKNOWN_PRODUCER_ID, "no state for producer " + producerId
                            + " to continue at sequence " + firstSeq);
        }
        if (epoch < producer.epoch) {
            return new Reject(Errors.INVALID_PRODUCER_EPOCH,
                    "producer " + producerId + " epoch " + epoch + " is older than " + producer.epoch);
        }
        if (epoch > producer.epoch) {
            return firstSeq == 0 ? new Accept()
                    : new Reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                            "a new epoch must start at sequence 0, not " + firstSeq);
        }
        for (SentBatch sent : producer.recent) {
            if (sent.firstSeq() == firstSeq && sent.lastSeq() == lastSeq) {
                return new Duplicate(sent);
            }
        }
        int expected = producer.lastSeq() == Integer.MAX_VALUE ? 0 : producer.lastSeq() + 1;
        if (producer.recent.isEmpty() || firstSeq == expected) {
            return new Accept();
        }
        return new Reject(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                "producer " + producerId + " sent sequence " + firstSeq + ", expected " + expected);
    }

    void record(long producerId, short epoch, int firstSeq, int lastSeq, long maxTimestamp,
            CompletableFuture<Long> baseOffset) {
        Producer producer = atEpoch(producerId, epoch);
        producer.lastTimestamp = maxTimestamp;
        producer.recent.addLast(new SentBatch(firstSeq, lastSeq, baseOffset));
        if (producer.recent.size() > BATCHES_KEPT) {
            producer.recent.removeFirst();
        }
    }

    /**
     * A transaction marker may come neither from a producer epoch older than the producer's nor from a coordinator
     * older than the one that wrote the producer's last marker (a zombie coordinator after a failover).
     */
    Check checkMarker(long producerId, short epoch, int coordinatorEpoch) {
        Producer producer = producers.get(producerId);
        if (producer != null && epoch < producer.epoch) {
            return new Reject(Errors.INVALID_PRODUCER_EPOCH,
                    "marker for producer " + producerId + " epoch " + epoch + " is older than " + producer.epoch);
        }
        if (producer != null && coordinatorEpoch < producer.coordinatorEpoch) {
            return new Reject(Errors.TRANSACTION_COORDINATOR_FENCED, "marker for producer " + producerId
                    + " from coordinator epoch " + coordinatorEpoch + ", older than " + producer.coordinatorEpoch);
        }
        return new Accept();
    }

    /** A marker moves the producer to its epoch: a coordinator that bumped it fences the producer's older batches. */
    void recordMarker(long producerId, short epoch, int coordinatorEpoch) {
        atEpoch(producerId, epoch).coordinatorEpoch = coordinatorEpoch;
    }

    /** The producer's state at {@code epoch}: a new epoch forgets the batches sent in the one before. */
    private Producer atEpoch(long producerId, short epoch) {
        Producer producer = producers.computeIfAbsent(producerId, id -> new Producer());
        if (epoch != producer.epoch) {
            producer.epoch = epoch;
            producer.recent.clear();
        }
        return producer;
    }

    /** DescribeProducers: every producer known here, by producer id. */
    List<ProducerState> active() {
        List<ProducerState> active = new ArrayList<>();
        producers.forEach((id, p) -> active.add(new ProducerState(id, p.epoch, p.lastSeq(), p.lastTimestamp,
                p.coordinatorEpoch, openTransactions.getOrDefault(id, -1L))));
        active.sort(Comparator.comparingLong(ProducerState::producerId));
        return active;
    }

    /** The first offset of the producer's open transaction, or -1. */
    long openTransaction(long producerId) {
        // Checked for every idempotent batch: without transactions on the partition, no boxed lookup.
        return openTransactions.isEmpty() ? -1 : openTransactions.getOrDefault(producerId, -1L);
    }

    void beginTransaction(long producerId, long firstOffset) {
        openTransactions.put(producerId, firstOffset);
    }

    /** Closes the producer's open transaction; returns its first offset, or -1 if none was open. */
    long endTransaction(long producerId) {
        Long first = openTransactions.remove(producerId);
        return first == null ? -1 : first;
    }
}
