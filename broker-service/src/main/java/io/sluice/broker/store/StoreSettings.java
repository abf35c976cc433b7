package io.sluice.broker.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of this broker's store node.
 *
 * @param nodeName       stable across restarts (the persisted topology knows nodes by it)
 * @param initialHosts   static discovery, {@code host[port],host[port]}
 * @param dnsQuery       when present, DNS_PING discovery on this name instead (a headless Service)
 * @param memoryMaxBytes what chunks may take in memory before they are served from disk
 */
public record StoreSettings(String nodeName, Path dataDir, String bindAddress, int bindPort, String initialHosts,
        Optional<String> dnsQuery, String clusterName, long memoryMaxBytes) {
}
