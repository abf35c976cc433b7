package io.sluice.cli.local;

import java.util.LinkedHashMap;
import java.util.Map;

import io.sluice.protocol.contract.JGroupsSettings;

/**
 * One process of a local cluster and its ports.
 *
 * @param name stable across restarts: {@code coordinator}, {@code broker-1}, {@code gateway}
 * @param id the broker id (1..), 0 for other roles
 * @param kafkaPort the member's Kafka-protocol listener
 * @param httpPort the member's HTTP port (health, metrics, the coordinator's {@code /cluster}); a gateway's HTTPS
 *        port is the one above it
 * @param jgroupsPort the store or state cluster's port, 0 for the gateway (which has none)
 * @param host the address the member listens on and is reached at: loopback, or one of its own where a test gives
 *        each member a network of its own
 */
public record Member(String name, Role role, int id, int kafkaPort, int httpPort, int jgroupsPort, String host) {

    public static final String LOOPBACK = "127.0.0.1";

    /** A member on loopback, as {@code sluice up} starts them all. */
    public Member(String name, Role role, int id, int kafkaPort, int httpPort, int jgroupsPort) {
        this(name, role, id, kafkaPort, httpPort, jgroupsPort, LOOPBACK);
    }

    /** The same member at another address. */
    public Member at(String otherHost) {
        return new Member(name, role, id, kafkaPort, httpPort, jgroupsPort, otherHost);
    }

    /** How far above its HTTP port a gateway serves HTTPS, once it has a certificate. */
    public static final int HTTPS_OFFSET = 1;

    /** The gateway's HTTPS port; 0 for other roles. */
    public int httpsPort() {
        return role == Role.GATEWAY ? httpPort + HTTPS_OFFSET : 0;
    }

    /** Every port this member listens on, with what it is for. */
    public Map<Integer, String> ports() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(kafkaPort, name + " kafka");
        ports.put(httpPort, name + " http");
        if (httpsPort() != 0) {
            ports.put(httpsPort(), name + " https");
        }
        if (jgroupsPort != 0) {
            ports.put(jgroupsPort, name + " jgroups");
            ports.put(jgroupsPort + JGroupsSettings.FAILURE_DETECTION_OFFSET, name + " jgroups failure detection");
        }
        return ports;
    }
}
