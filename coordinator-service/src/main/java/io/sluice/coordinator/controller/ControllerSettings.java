package io.sluice.coordinator.controller;

/**
 * The controller's settings: how long a broker may stay silent before it counts as dead, and the most partitions the
 * cluster may hold over all its topics.
 */
public record ControllerSettings(long brokerSessionTimeoutMs, int maxPartitions) {
}
