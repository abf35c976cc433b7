package io.sluice.broker.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of this broker's store node.
 *
 * @param nodeName       unique in the cluster and stable across restarts: the persisted cache topology knows nodes by
 *                       it
 * @param dataDir        global state and one SoftIndexFileStore per cache live under it
 * @param bindAddress    the JGroups TCP address: an IP, a host name, or a JGroups keyword such as {@code SITE_LOCAL}
 * @param initialHosts   static discovery, {@code host[port],host[port]}; ignored when {@code dnsQuery} is present
 * @param dnsQuery       when present, DNS_PING discovery on this name instead (a headless Service)
 * @param memoryMaxBytes what the store caches may hold in memory; the rest is read from disk
 */
public record StoreSettings(String nodeName, Path dataDir, String bindAddress, int bindPort, String initialHosts,
        Optional<String> dnsQuery, String clusterName, long memoryMaxBytes) {

    public StoreSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dnsQuery, "dnsQuery");
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("the store node needs a name");
        }
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("the store cluster needs a name");
        }
        if (bindAddress == null || bindAddress.isBlank() || bindPort < 1 || bindPort > 65_535) {
            throw new IllegalArgumentException("bad store bind address " + bindAddress + ":" + bindPort);
        }
        if (dnsQuery.isEmpty() && (initialHosts == null || initialHosts.isBlank())) {
            throw new IllegalArgumentException("the store needs initial hosts or a DNS query to find its peers");
        }
        if (memoryMaxBytes <= 0) {
            throw new IllegalArgumentException("store memory must be positive, got " + memoryMaxBytes);
        }
    }
}
