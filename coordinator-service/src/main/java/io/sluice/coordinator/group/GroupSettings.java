package io.sluice.coordinator.group;

/**
 * Kafka's group coordinator settings ({@code group.min.session.timeout.ms} and friends, and
 * {@code offsets.retention.minutes} with its check interval).
 */
public record GroupSettings(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
        int maxMetadataBytes, long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs) {
}
