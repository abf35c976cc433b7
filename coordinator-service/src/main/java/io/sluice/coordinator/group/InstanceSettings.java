package io.sluice.coordinator.group;

/**
 * Limits of HTTP consumer instances: how long one may stay idle before it expires, and how many the cluster keeps
 * open at once.
 */
public record InstanceSettings(long idleTimeoutMs, int maxInstances) {
}
