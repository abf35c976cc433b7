package io.sluice.coordinator.group;

import org.apache.kafka.common.Uuid;

/** A topic as groups see it: its id (assignments name topics by it) and partition count. */
public record TopicShape(Uuid id, int partitions) {
}
