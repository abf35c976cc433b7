package io.sluice.broker.log;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.Errors;

/**
 * Idempotent-producer state of one partition: per producer id its epoch and its last five batches, enough to spot a
 * retried batch (answered with its original offset, stored once) and a gap in sequences. Not thread-safe: the owning
 * {@link PartitionLog} guards it.
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
        final ArrayDeque<SentBatch> recent = new ArrayDeque<>();

        int lastSeq() {
            return recent.isEmpty() ? -1 : recent.peekLast().lastSeq();
        }
    }

    private final Map<Long, Producer> producers = new HashMap<>();

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

    void record(long producerId, short epoch, int firstSeq, int lastSeq, CompletableFuture<Long> baseOffset) {
        Producer producer = producers.computeIfAbsent(producerId, id -> new Producer());
        if (epoch != producer.epoch) {
            producer.epoch = epoch;
            producer.recent.clear();
        }
        producer.recent.addLast(new SentBatch(firstSeq, lastSeq, baseOffset));
        if (producer.recent.size() > BATCHES_KEPT) {
            producer.recent.removeFirst();
        }
    }

    int size() {
        return producers.size();
    }
}
