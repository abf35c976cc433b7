package io.sluice.coordinator.group;

/**
 * Kafka's group coordinator settings ({@code group.min.session.timeout.ms} and friends,
 * {@code offsets.retention.minutes} with its check interval, and the consumer group protocol's
 * {@code group.consumer.session.timeout.ms}, {@code group.consumer.heartbeat.interval.ms} and
 * {@code group.consumer.max.size}).
 */
public record GroupSettings(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
        int maxMetadataBytes, long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs,
        int consumerSessionTimeoutMs, int consumerHeartbeatIntervalMs, int consumerMaxSize) {
}
