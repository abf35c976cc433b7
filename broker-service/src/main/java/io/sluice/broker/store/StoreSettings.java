package io.sluice.broker.store;

import java.util.Objects;

import io.sluice.replication.NodeSettings;

/**
 * Settings of this broker's store node.
 *
 * @param node the node of the brokers' Infinispan cluster: its name, peers and data dir
 * @param memoryMaxBytes what the store caches may hold in memory; the rest is read from disk
 */
public record StoreSettings(NodeSettings node, long memoryMaxBytes) {

    public StoreSettings {
        Objects.requireNonNull(node, "node");
        if (memoryMaxBytes <= 0) {
            throw new IllegalArgumentException("store memory must be positive, got " + memoryMaxBytes);
        }
    }
}
