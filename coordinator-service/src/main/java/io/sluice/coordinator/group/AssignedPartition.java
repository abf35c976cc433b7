package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;

/** A partition as the consumer group protocol names it: by its topic's id. */
record AssignedPartition(Uuid topicId, int partition) implements Comparable<AssignedPartition> {

    /** Topics in the order of their ids' text, as answers, the store and the assignors list them. */
    static final Comparator<Uuid> TOPIC_ORDER = Comparator.comparing(Uuid::toString);

    private static final Comparator<AssignedPartition> ORDER = Comparator
            .comparing(AssignedPartition::topicId, TOPIC_ORDER)
            .thenComparingInt(AssignedPartition::partition);

    @Override
    public int compareTo(AssignedPartition other) {
        return ORDER.compare(this, other);
    }

    /** Partitions grouped by topic, each topic's in order. */
    static SortedMap<Uuid, List<Integer>> byTopic(Collection<AssignedPartition> partitions) {
        SortedMap<Uuid, List<Integer>> byTopic = new TreeMap<>(TOPIC_ORDER);
        new TreeSet<>(partitions).forEach(p -> byTopic.computeIfAbsent(p.topicId(), t -> new ArrayList<>())
                .add(p.partition()));
        return byTopic;
    }
}
