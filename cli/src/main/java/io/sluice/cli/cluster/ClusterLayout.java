package io.sluice.cli.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The plan of a local cluster: which members it has, their ports, and the configuration each one is started with,
 * with all data under one directory ({@code <dataDir>/<member>}).
 */
public record ClusterLayout(Path dataDir, List<Member> members) {

    private static final String LOOPBACK = "127.0.0.1";

    public ClusterLayout {
        dataDir = dataDir.toAbsolutePath().normalize();
        members = List.copyOf(members);
        long coordinators = members.stream().filter(m -> m.role() == Role.COORDINATOR).count();
        if ((coordinators != 1 && coordinators != 3)
                || members.stream().filter(m -> m.role() == Role.GATEWAY).count() != 1
                || members.stream().noneMatch(m -> m.role() == Role.BROKER)) {
            throw new IllegalArgumentException(
                    "a cluster has 1 or 3 coordinators, one gateway and at least one broker");
        }
        Map<Integer, String> used = new HashMap<>();
        for (Member member : members) {
            member.ports().forEach((port, use) -> {
                if (port < 1 || port > 65_535) {
                    throw new IllegalArgumentException("port " + port + " (" + use + ") is out of range");
                }
                String other = used.putIfAbsent(port, use);
                if (other != null) {
                    throw new IllegalArgumentException("port " + port + " would be used twice: " + other + ", " + use);
                }
            });
        }
    }

    /**
     * The standard layout of {@code ./sluice up}: the gateway on {@code kafkaPort}/{@code httpPort}; the (first)
     * coordinator on Kafka 9093, HTTP 8090, JGroups 7950, coordinator k of 3 on 9190+k, 8180+k, 7949+k; broker n on
     * 9093+n, 8090+n, 7799+n; every internal port shifted by {@code portShift} so that a second cluster can run beside
     * the first.
     */
    public static ClusterLayout standard(Path dataDir, int brokers, int coordinators, int kafkaPort, int httpPort,
            int portShift) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster needs at least one broker");
        }
        List<Member> members = new ArrayList<>();
        for (int k = 1; k <= coordinators; k++) {
            members.add(k == 1
                    ? new Member(coordinatorName(1, coordinators), Role.COORDINATOR, 0, 9093 + portShift,
                            8090 + portShift, 7950 + portShift)
                    : new Member(coordinatorName(k, coordinators), Role.COORDINATOR, 0, 9190 + k + portShift,
                            8180 + k + portShift, 7949 + k + portShift));
        }
        for (int n = 1; n <= brokers; n++) {
            members.add(new Member(brokerName(n), Role.BROKER, n, 9093 + n + portShift, 8090 + n + portShift,
                    7799 + n + portShift));
        }
        members.add(new Member("gateway", Role.GATEWAY, 0, kafkaPort, httpPort, 0));
        return new ClusterLayout(dataDir, members);
    }

    /** A layout on ports that are free right now, for tests that run beside other clusters. */
    public static ClusterLayout onFreePorts(Path dataDir, int brokers, int coordinators) {
        Set<Integer> taken = new HashSet<>();
        List<Member> members = new ArrayList<>();
        for (int k = 1; k <= coordinators; k++) {
            members.add(new Member(coordinatorName(k, coordinators), Role.COORDINATOR, 0, Ports.free(taken, 0),
                    Ports.free(taken, 0), Ports.free(taken, Member.FAILURE_DETECTION_OFFSET)));
        }
        for (int n = 1; n <= brokers; n++) {
            members.add(new Member(brokerName(n), Role.BROKER, n, Ports.free(taken, 0), Ports.free(taken, 0),
                    Ports.free(taken, Member.FAILURE_DETECTION_OFFSET)));
        }
        members.add(new Member("gateway", Role.GATEWAY, 0, Ports.free(taken, 0), Ports.free(taken, 0), 0));
        return new ClusterLayout(dataDir, members);
    }

    /** {@code coordinator} when it is the only one, else {@code coordinator-k}. */
    private static String coordinatorName(int k, int coordinators) {
        return coordinators == 1 ? "coordinator" : "coordinator-" + k;
    }

    private static String brokerName(int id) {
        return "broker-" + id;
    }

    public Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + name + " in this cluster; members: "
                        + members.stream().map(Member::name).collect(Collectors.joining(", "))));
    }

    public List<Member> coordinators() {
        return members.stream().filter(m -> m.role() == Role.COORDINATOR).toList();
    }

    public Member gateway() {
        return members.stream().filter(m -> m.role() == Role.GATEWAY).findFirst().orElseThrow();
    }

    public List<Member> brokers() {
        return members.stream().filter(m -> m.role() == Role.BROKER).toList();
    }

    /** Where a member keeps its files: its log and its store. */
    public Path memberDir(Member member) {
        return dataDir.resolve(member.name());
    }

    /** The member's standard output and error. */
    public Path logFile(Member member) {
        return memberDir(member).resolve("member.log");
    }

    /** The member's configuration as environment variables (every service is configured 12-factor style). */
    public Map<String, String> environment(Member member) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SLUICE_DATA_DIR", memberDir(member).resolve("store").toString());
        env.put("QUARKUS_HTTP_HOST", LOOPBACK);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(member.httpPort()));
        String coordinatorBootstrap = coordinators().stream().map(c -> LOOPBACK + ":" + c.kafkaPort())
                .collect(Collectors.joining(","));
        switch (member.role()) {
            case COORDINATOR -> {
                env.put("SLUICE_COORDINATOR_HOST", LOOPBACK);
                env.put("SLUICE_COORDINATOR_PORT", Integer.toString(member.kafkaPort()));
                // Kafka's default of 3 cannot be met by a smaller local cluster.
                env.put("SLUICE_COORDINATOR_DEFAULT_REPLICATION_FACTOR", Integer.toString(Math.min(3,
                        brokers().size())));
                env.put("SLUICE_COORDINATOR_JGROUPS_BIND_ADDRESS", LOOPBACK);
                env.put("SLUICE_COORDINATOR_JGROUPS_BIND_PORT", Integer.toString(member.jgroupsPort()));
                env.put("SLUICE_COORDINATOR_JGROUPS_INITIAL_HOSTS", coordinators().stream()
                        .map(c -> LOOPBACK + "[" + c.jgroupsPort() + "]").collect(Collectors.joining(",")));
                env.put("SLUICE_COORDINATOR_REPLICAS", Integer.toString(coordinators().size()));
            }
            case BROKER -> {
                env.put("SLUICE_BROKER_ID", Integer.toString(member.id()));
                env.put("SLUICE_BROKER_HOST", LOOPBACK);
                env.put("SLUICE_BROKER_PORT", Integer.toString(member.kafkaPort()));
                env.put("SLUICE_BROKER_JGROUPS_BIND_ADDRESS", LOOPBACK);
                env.put("SLUICE_BROKER_JGROUPS_BIND_PORT", Integer.toString(member.jgroupsPort()));
                env.put("SLUICE_BROKER_JGROUPS_INITIAL_HOSTS", brokers().stream()
                        .map(b -> LOOPBACK + "[" + b.jgroupsPort() + "]").collect(Collectors.joining(",")));
                env.put("SLUICE_COORDINATOR_BOOTSTRAP", coordinatorBootstrap);
            }
            case GATEWAY -> {
                env.put("SLUICE_GATEWAY_HOST", LOOPBACK);
                env.put("SLUICE_GATEWAY_PORT", Integer.toString(member.kafkaPort()));
                env.put("SLUICE_COORDINATOR_BOOTSTRAP", coordinatorBootstrap);
            }
        }
        return env;
    }

    /** The address Kafka clients bootstrap from: the gateway. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + gateway().kafkaPort();
    }

    /** The gateway's HTTP address. */
    public String httpUrl() {
        return "http://" + LOOPBACK + ":" + gateway().httpPort();
    }

    /** The base address of a member's HTTP port. */
    public static String httpUrl(Member member) {
        return "http://" + LOOPBACK + ":" + member.httpPort();
    }
}
