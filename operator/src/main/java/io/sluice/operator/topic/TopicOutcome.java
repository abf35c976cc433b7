package io.sluice.operator.topic;

/** What one reconcile of a {@link Topic} found: the Ready condition to show and what the cluster holds. */
record TopicOutcome(boolean ready, TopicReason reason, String message, String topicId, Integer partitions,
        Integer replicas) {

    static TopicOutcome notReady(TopicReason reason, String message) {
        return new TopicOutcome(false, reason, message, null, null, null);
    }

    TopicOutcome refused(TopicReason reason, String message) {
        return new TopicOutcome(false, reason, message, topicId, partitions, replicas);
    }
}
