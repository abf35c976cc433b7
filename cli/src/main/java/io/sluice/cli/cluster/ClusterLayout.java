package io.sluice.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Which processes a local cluster has, on which ports, with its data under one directory. */
public record ClusterLayout(Path dataDir, List<Member> members) {

    /** JGroups' FD_SOCK2 listens this far above each JGroups port. */
    static final int FAILURE_DETECTION_OFFSET = 100;

    /**
     * The standard layout: gateway on {@code kafkaPort}/{@code httpPort}; coordinator on 9093/8090/7900 and broker n on
     * 9093+n/8090+n/7799+n, every internal port shifted by {@code shift}.
     */
    public static ClusterLayout standard(Path dataDir, int brokers, int kafkaPort, int httpPort, int shift) {
        List<Member> members = new ArrayList<>();
        members.add(new Member("coordinator", Role.COORDINATOR, 0, 9093 + shift, 8090 + shift, 7950 + shift));
        for (int n = 1; n <= brokers; n++) {
            members.add(new Member("broker-" + n, Role.BROKER, n, 9093 + n + shift, 8090 + n + shift,
                    7799 + n + shift));
        }
        members.add(new Member("gateway", Role.GATEWAY, 0, kafkaPort, httpPort, 0));
        return new ClusterLayout(dataDir, List.copyOf(members));
    }

    /** A layout on ports free right now (for tests running clusters side by side with others). */
    public static ClusterLayout onFreePorts(Path dataDir, int brokers) {
        Set<Integer> taken = new HashSet<>();
        List<Member> members = new ArrayList<>();
        members.add(new Member("coordinator", Role.COORDINATOR, 0, free(taken), free(taken), freeJGroups(taken)));
        for (int n = 1; n <= brokers; n++) {
            members.add(new Member("broker-" + n, Role.BROKER, n, free(taken), free(taken), freeJGroups(taken)));
        }
        members.add(new Member("gateway", Role.GATEWAY, 0, free(taken), free(taken), 0));
        return new ClusterLayout(dataDir, List.copyOf(members));
    }

    private static int free(Set<Integer> taken) {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (taken.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A free port below the ephemeral range whose failure-detection port is free too. */
    private static int freeJGroups(Set<Integer> taken) {
        for (int port = 20_000 + (int) (Math.random() * 8_000); port < 30_000; port++) {
            if (!taken.contains(port) && !taken.contains(port + FAILURE_DETECTION_OFFSET) && bindable(port)
                    && bindable(port + FAILURE_DETECTION_OFFSET)) {
                taken.add(port);
                taken.add(port + FAILURE_DETECTION_OFFSET);
                return port;
            }
        }
        throw new IllegalStateException("no free port pair for JGroups");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + name + " in this cluster"));
    }

    public Member coordinator() {
        return members.stream().filter(m -> m.role() == Role.COORDINATOR).findFirst().orElseThrow();
    }

    public Member gateway() {
        return members.stream().filter(m -> m.role() == Role.GATEWAY).findFirst().orElseThrow();
    }

    public List<Member> brokers() {
        return members.stream().filter(m -> m.role() == Role.BROKER).toList();
    }

    /** The brokers' static JGroups discovery list. */
    String brokerHosts() {
        return brokers().stream().map(b -> "127.0.0.1[" + b.jgroupsPort() + "]").collect(Collectors.joining(","));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + gateway().kafkaPort();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + gateway().httpPort();
    }
}
