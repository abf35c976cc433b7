package io.sluice.coordinator.api;

/**
 * What a topic gets when whoever creates it does not say: Kafka's num.partitions and default.replication.factor, the
 * latter capped at the live brokers so that a cluster smaller than the default can still create topics.
 */
record TopicDefaults(int partitions, int replicationFactor) {

    /** The default replication factor where {@code liveBrokers} brokers live: at most one replica each, at least 1. */
    int replicationFactorFor(int liveBrokers) {
        return Math.max(1, Math.min(replicationFactor, liveBrokers));
    }
}
