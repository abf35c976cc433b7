package io.sluice.coordinator.group;

import java.util.List;

/**
 * An HTTP consumer instance and the partitions it reads now: those given by hand, or its share of its group's
 * subscribed partitions. Each with where to read on: its own position, else the group's committed offset, else
 * neither (the gateway applies {@code auto.offset.reset}).
 */
public record InstanceView(ConsumerInstance instance, List<PartitionPosition> partitions) {

    public record PartitionPosition(String topic, int partition, Long position, Long committed) {
    }
}
