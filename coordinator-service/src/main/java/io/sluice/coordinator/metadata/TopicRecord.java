package io.sluice.coordinator.metadata;

import java.util.List;
import java.util.Map;

/** A topic as the coordinator stores it: id (Kafka's base64 UUID), configs set on it, and its partitions. */
public record TopicRecord(String name, String id, int replicationFactor, Map<String, String> configs,
        List<PartitionRecord> partitions) {

    public TopicRecord withPartitions(List<PartitionRecord> newPartitions) {
        return new TopicRecord(name, id, replicationFactor, configs, newPartitions);
    }

    public TopicRecord withConfigs(Map<String, String> newConfigs) {
        return new TopicRecord(name, id, replicationFactor, newConfigs, partitions);
    }
}
