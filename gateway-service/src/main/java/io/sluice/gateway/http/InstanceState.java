package io.sluice.gateway.http;

import java.util.List;
import java.util.Map;

/**
 * An HTTP consumer instance as the coordinator keeps it, and the partitions it reads now with where to read on (its
 * position, else the group's committed offset, else neither). A negative position is Kafka's ListOffsets timestamp
 * (-2 earliest, -1 latest), resolved when the instance reads.
 */
record InstanceState(Instance instance, List<PartitionPosition> partitions) {

    static final long EARLIEST = -2;
    static final long LATEST = -1;

    /** @param clientHost the creating client's address as Kafka shows a member's ({@code /10.1.2.3}) */
    record Instance(String group, String name, String format, Map<String, String> settings, List<String> topics,
            String topicPattern, List<Partition> assigned, List<Position> positions, String clientHost) {
    }

    record Partition(String topic, int partition) {
    }

    record Position(String topic, int partition, long offset) {
    }

    record PartitionPosition(String topic, int partition, Long position, Long committed) {
    }
}
