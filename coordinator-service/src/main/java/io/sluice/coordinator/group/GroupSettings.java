package io.sluice.coordinator.group;

/** Kafka's group coordinator settings ({@code group.min.session.timeout.ms} and friends). */
public record GroupSettings(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
        int maxMetadataBytes) {
}
