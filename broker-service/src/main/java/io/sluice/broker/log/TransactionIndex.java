package io.sluice.broker.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The durable transactions of a partition: those begun in a committed chunk and not yet ended by a committed marker,
 * which hold the last stable offset back, and the aborted ones, which read_committed consumers are told to skip.
 * Changed only under the owning {@link PartitionLog}'s lock (or {@link LogRecovery}'s, before the log serves); the
 * aborted list is also read without it by fetches.
 */
final class TransactionIndex {

    private final Map<Long, Long> ongoingByProducer = new HashMap<>();
    private final TreeMap<Long, Long> ongoingByFirstOffset = new TreeMap<>();
    /** By marker offset, the order in which they were appended. */
    private final ConcurrentSkipListMap<Long, AbortedTransaction> aborted = new ConcurrentSkipListMap<>();
    /** The longest aborted transaction, marker offset minus first offset: bounds the search of an overlap. */
    private volatile long longestAborted;

    void apply(TransactionEvent event) {
        if (event instanceof TransactionEvent.Ended ended) {
            Long first = ongoingByProducer.remove(ended.producerId());
            if (first != null) {
                ongoingByFirstOffset.remove(first);
            }
            if (!ended.committed()) {
                longestAborted = Math.max(longestAborted, ended.markerOffset() - ended.firstOffset());
                aborted.put(ended.markerOffset(),
                        new AbortedTransaction(ended.producerId(), ended.firstOffset(), ended.markerOffset()));
            }
        } else if (ongoingByProducer.putIfAbsent(event.producerId(), event.firstOffset()) == null) {
            ongoingByFirstOffset.put(event.firstOffset(), event.producerId());
        }
    }

    /** The first offset of the earliest ongoing transaction, or {@link Long#MAX_VALUE} when there is none. */
    long firstUnstableOffset() {
        return ongoingByFirstOffset.isEmpty() ? Long.MAX_VALUE : ongoingByFirstOffset.firstKey();
    }

    /** Ongoing transactions: producer id to first offset. */
    Map<Long, Long> ongoing() {
        return Map.copyOf(ongoingByProducer);
    }

    /**
     * The aborted transactions that overlap the offsets {@code [from, to)}, oldest marker first. A marker at or beyond
     * {@code to} plus the longest transaction's length ends a transaction that began at or after {@code to}, so the
     * search stops there, however many transactions follow.
     */
    List<AbortedTransaction> abortedWithin(long from, long to) {
        List<AbortedTransaction> overlapping = new ArrayList<>();
        if (from >= to) {
            return overlapping;
        }
        long beyond = to + longestAborted;
        for (AbortedTransaction txn : aborted.subMap(from, true, beyond, false).values()) {
            if (txn.firstOffset() < to) {
                overlapping.add(txn);
            }
        }
        return overlapping;
    }

    /** Forgets aborted transactions that ended before the log's first offset: no fetch can reach them. */
    void dropBefore(long logStartOffset) {
        aborted.headMap(logStartOffset).clear();
    }
}
