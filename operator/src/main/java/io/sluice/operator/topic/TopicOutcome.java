package io.sluice.operator.topic;

/** What one reconcile of a {@link Topic} found: the Ready condition to show and what the cluster holds. */
record TopicOutcome(boolean ready, TopicReason reason, String message, String topicId, Integer partitions,
        Integer replicas) {

    static TopicOutcome notReady(TopicReason reason, String message) {
        return new TopicOutcome(false, reason, message, null, null, null);
    }

    /** The topic is as its resource says. */
    static TopicOutcome synced(String message, String topicId, int partitions, int replicas) {
        return new TopicOutcome(true, TopicReason.Synced, message, topicId, partitions, replicas);
    }

    /** The topic is left as it was found: its resource asks for what cannot be done. */
    static TopicOutcome refused(TopicReason reason, String message, String topicId, int partitions, int replicas) {
        return new TopicOutcome(false, reason, message, topicId, partitions, replicas);
    }
}
