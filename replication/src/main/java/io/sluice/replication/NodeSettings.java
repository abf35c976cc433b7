package io.sluice.replication;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

import io.sluice.protocol.security.MemberCredential;

/**
 * Settings of one node of an embedded Infinispan cluster.
 *
 * @param nodeName unique in the cluster and stable across restarts: the persisted cache topology knows nodes by it
 * @param clusterName nodes join only a cluster of the same name
 * @param dataDir the node's global state and its caches' file stores live under it
 * @param bindAddress the JGroups TCP address: an IP, a host name, or a JGroups keyword such as {@code SITE_LOCAL}
 * @param initialHosts static discovery, {@code host[port],host[port]}; ignored when {@code dnsQuery} is present
 * @param dnsQuery when present, DNS_PING discovery on this name instead (a headless Service)
 * @param member when present, the cluster's traffic is encrypted with its key, and only nodes holding it take part
 */
public record NodeSettings(String nodeName, String clusterName, Path dataDir, String bindAddress, int bindPort,
        String initialHosts, Optional<String> dnsQuery, Optional<MemberCredential> member) {

    public NodeSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dnsQuery, "dnsQuery");
        Objects.requireNonNull(member, "member");
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("a node needs a name");
        }
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("a cluster needs a name");
        }
        if (bindAddress == null || bindAddress.isBlank() || bindPort < 1 || bindPort > 65_535) {
            throw new IllegalArgumentException("bad JGroups bind address " + bindAddress + ":" + bindPort);
        }
        if (dnsQuery.isEmpty() && (initialHosts == null || initialHosts.isBlank())) {
            throw new IllegalArgumentException("a node needs initial hosts or a DNS query to find its peers");
        }
    }

    /** A node of a cluster whose traffic is not encrypted. */
    public NodeSettings(String nodeName, String clusterName, Path dataDir, String bindAddress, int bindPort,
            String initialHosts, Optional<String> dnsQuery) {
        this(nodeName, clusterName, dataDir, bindAddress, bindPort, initialHosts, dnsQuery, Optional.empty());
    }

    /**
     * Whether this node is its only initial host: with static discovery and no peer to find, it can form its cluster
     * at once instead of waiting out discovery.
     */
    public boolean onlyInitialHostIsItself() {
        return dnsQuery.isEmpty() && Arrays.stream(initialHosts.split(",")).map(String::strip)
                .allMatch((bindAddress + "[" + bindPort + "]")::equals);
    }
}
