package io.sluice.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.store.StateStore;
import io.sluice.replication.NodeSettings;

/** The election on real state replicas (Infinispan over JGroups on loopback), three in this JVM. */
class ReplicaElectionTest {

    private static final Duration VIEW_CHANGE = Duration.ofSeconds(20);

    private final List<Replica> replicas = new ArrayList<>();
    private final ConcurrentHashMap<String, Boolean> roles = new ConcurrentHashMap<>();

    @AfterEach
    void stopAll() {
        replicas.forEach(Replica::close);
    }

    @Test
    void theOldestReplicaOfAMajorityActsAndAStandbyTakesOverWhenItLeaves() throws IOException {
        int[] ports = freePorts(3);
        String hosts = Arrays.stream(ports).mapToObj(p -> "127.0.0.1[" + p + "]")
                .collect(Collectors.joining(","));
        for (int i = 0; i < 3; i++) {
            replicas.add(start("r" + i, ports[i], ports[0], hosts, 3));
        }
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(active()).containsExactly("r0"));
        assertThat(replicas).allSatisfy(r -> assertThat(r.election.quorum()).isTrue());

        replicas.get(0).close();
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(active()).containsExactly("r1"));
        assertThat(roles).containsEntry("r0", false);

        // One of three left: no majority, so the survivor stands down rather than act alone.
        replicas.get(1).close();
        await().atMost(VIEW_CHANGE).untilAsserted(() -> {
            assertThat(replicas.get(2).election.quorum()).isFalse();
            assertThat(active()).isEmpty();
        });
    }

    @Test
    void aSingleConfiguredReplicaActsAlone() throws IOException {
        int port = freePorts(1)[0];
        replicas.add(start("solo", port, port, "127.0.0.1[" + port + "]", 1));
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(active()).containsExactly("solo"));
    }

    private List<String> active() {
        return replicas.stream().filter(r -> !r.closed && r.election.active()).map(r -> r.name).toList();
    }

    private Replica start(String name, int port, int cluster, String hosts, int configured) throws IOException {
        Path dir = Files.createTempDirectory("election-" + name);
        StateStore store = StateStore.start(new NodeSettings(name, "election-" + cluster, dir, "127.0.0.1",
                port, hosts, Optional.empty()));
        ReplicaElection election = new ReplicaElection(store, configured, act -> roles.put(name, act));
        election.start();
        return new Replica(name, store, election);
    }

    /** Ports free now, each with its failure-detection port (+100) free too. */
    private static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        int found = 0;
        while (found < count) {
            int port = ThreadLocalRandom.current().nextInt(30_000, 39_000);
            int candidate = port;
            boolean clash = Arrays.stream(ports, 0, found)
                    .anyMatch(p -> Math.abs(p - candidate) <= 1 || Math.abs(Math.abs(p - candidate) - 100) <= 1);
            if (!clash && bindable(port) && bindable(port + 100)) {
                ports[found++] = port;
            }
        }
        return ports;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static final class Replica {
        final String name;
        final StateStore store;
        final ReplicaElection election;
        volatile boolean closed;

        Replica(String name, StateStore store, ReplicaElection election) {
            this.name = name;
            this.store = store;
            this.election = election;
        }

        void close() {
            if (!closed) {
                closed = true;
                election.close();
                store.close();
            }
        }
    }
}
