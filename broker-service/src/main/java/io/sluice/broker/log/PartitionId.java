package io.sluice.broker.log;

/** A partition by topic id (how the store keys it) and by topic name (how clients mostly name it). */
public record PartitionId(String topicId, String topic, int partition) {

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
