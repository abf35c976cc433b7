package io.sluice.operator.topic;

/** What one reconcile of a {@link Topic} found: the Ready condition to show and what the cluster holds. */
record TopicOutcome(boolean ready, String reason, String message, String topicId, Integer partitions,
        Integer replicas) {

    static TopicOutcome notReady(String reason, String message) {
        return new TopicOutcome(false, reason, message, null, null, null);
    }

    TopicOutcome refused(String reason, String message) {
        return new TopicOutcome(false, reason, message, topicId, partitions, replicas);
    }
}
