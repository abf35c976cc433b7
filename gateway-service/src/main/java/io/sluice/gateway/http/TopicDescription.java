package io.sluice.gateway.http;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A topic described: the Strimzi HTTP Bridge's topic metadata (name, configs, partitions with their replicas) with the
 * topic id, replication factor, leader epochs and each partition's first and next offsets.
 */
public record TopicDescription(String name, String id, int replicationFactor, Map<String, String> configs,
        List<PartitionDescription> partitions) {

    /** A partition, its leader and replicas, and the offsets it holds: from beginning_offset to before end_offset. */
    public record PartitionDescription(int partition, int leader, int leaderEpoch, List<Replica> replicas,
            @JsonProperty("beginning_offset") Long beginningOffset, @JsonProperty("end_offset") Long endOffset) {
    }

    /** A replica as the bridge shows it. */
    public record Replica(int broker, boolean leader, @JsonProperty("in_sync") boolean inSync) {
    }

    /** A partition's offsets, as the bridge's {@code /offsets} path gives them. */
    public record Offsets(@JsonProperty("beginning_offset") Long beginningOffset,
            @JsonProperty("end_offset") Long endOffset) {
    }
}
