package io.sluice.coordinator.group;

import java.util.Comparator;

import org.apache.kafka.common.Uuid;

/** A partition as the consumer group protocol names it: by its topic's id. */
record AssignedPartition(Uuid topicId, int partition) implements Comparable<AssignedPartition> {

    private static final Comparator<AssignedPartition> ORDER = Comparator
            .comparing((AssignedPartition p) -> p.topicId().toString())
            .thenComparingInt(AssignedPartition::partition);

    @Override
    public int compareTo(AssignedPartition other) {
        return ORDER.compare(this, other);
    }
}
