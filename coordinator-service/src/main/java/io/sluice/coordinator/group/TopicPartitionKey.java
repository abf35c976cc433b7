package io.sluice.coordinator.group;

/** A topic partition, ordered by topic then partition. */
record TopicPartitionKey(String topic, int partition) implements Comparable<TopicPartitionKey> {

    @Override
    public int compareTo(TopicPartitionKey other) {
        int byTopic = topic.compareTo(other.topic);
        return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }
}
