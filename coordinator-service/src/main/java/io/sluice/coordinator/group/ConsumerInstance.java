package io.sluice.coordinator.group;

import java.util.List;
import java.util.Map;

/**
 * An HTTP consumer instance (the Strimzi bridge's), as the coordinators keep it so that any gateway serves its next
 * request: its settings as the gateway checked them, what it reads (a subscription to topics or to a pattern, or
 * partitions it was given by hand) and its positions. Empty lists and a null pattern mean none.
 *
 * @param settings the bridge's consumer settings ({@code auto.offset.reset}…), interpreted by the gateways
 * @param positions the next offset to read of each partition read so far; a negative one is Kafka's ListOffsets
 *        timestamp (-2 earliest, -1 latest) the gateway resolves when it reads
 * @param clientHost the address of the HTTP client that created it, as Kafka shows a member's ({@code /10.1.2.3});
 *        null for an instance kept before it was recorded
 */
public record ConsumerInstance(String group, String name, String format, Map<String, String> settings,
        List<String> topics, String topicPattern, List<Partition> assigned, List<Position> positions,
        String clientHost) {

    public ConsumerInstance {
        settings = Map.copyOf(settings);
        topics = List.copyOf(topics);
        assigned = List.copyOf(assigned);
        positions = List.copyOf(positions);
    }

    /** A partition by topic name and index. */
    public record Partition(String topic, int partition) {
    }

    /** The next offset to read of a partition. */
    public record Position(String topic, int partition, long offset) {
    }

    boolean subscribed() {
        return !topics.isEmpty() || topicPattern != null;
    }

    ConsumerInstance withSubscription(List<String> newTopics, String newPattern) {
        return new ConsumerInstance(group, name, format, settings, newTopics, newPattern, List.of(), positions,
                clientHost);
    }

    ConsumerInstance withAssigned(List<Partition> partitions) {
        return new ConsumerInstance(group, name, format, settings, List.of(), null, partitions, positions, clientHost);
    }

    ConsumerInstance withPositions(List<Position> newPositions) {
        return new ConsumerInstance(group, name, format, settings, topics, topicPattern, assigned, newPositions,
                clientHost);
    }
}
