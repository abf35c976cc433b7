package io.sluice.cli.cluster;

/**
 * One process of a local cluster and its ports.
 *
 * @param name        stable across restarts: {@code coordinator}, {@code broker-1}, {@code gateway}
 * @param id          the broker id (1..), 0 for other roles
 * @param jgroupsPort the store or state cluster's port, 0 for the gateway
 */
public record Member(String name, Role role, int id, int kafkaPort, int httpPort, int jgroupsPort) {
}
