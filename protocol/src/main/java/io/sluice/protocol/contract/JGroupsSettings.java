package io.sluice.protocol.contract;

/**
 * How a member of one of Sluice's embedded Infinispan clusters (the brokers' store, the coordinators' state) finds
 * its peers over JGroups.
 *
 * @param prefix the settings' common prefix, e.g. {@code sluice.broker.jgroups}
 */
public record JGroupsSettings(String prefix) {

    /** JGroups' FD_SOCK2 failure detection listens this far above the JGroups port: both must be open. */
    public static final int FAILURE_DETECTION_OFFSET = 100;

    /** An IP, a host name, or a JGroups keyword such as {@code SITE_LOCAL}. */
    public Setting bindAddress() {
        return new Setting(prefix + ".bind-address");
    }

    public Setting bindPort() {
        return new Setting(prefix + ".bind-port");
    }

    /** Static discovery: {@code host[port],host[port]}, every member of the cluster. */
    public Setting initialHosts() {
        return new Setting(prefix + ".initial-hosts");
    }

    /** When set, discovery asks DNS for this name's records instead (a Kubernetes headless Service). */
    public Setting dnsQuery() {
        return new Setting(prefix + ".dns-query");
    }
}
