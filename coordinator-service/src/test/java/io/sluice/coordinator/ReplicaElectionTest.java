package io.sluice.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.controller.ControllerSettings;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.sluice.replication.MemberPorts;
import io.sluice.replication.NodeSettings;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The election on real state replicas (Infinispan over JGroups on loopback), three in this JVM. */
class ReplicaElectionTest {

    private static final Duration VIEW_CHANGE = Duration.ofSeconds(20);

    private final List<Replica> replicas = new ArrayList<>();
    private final ConcurrentHashMap<String, Boolean> roles = new ConcurrentHashMap<>();
    /** Every role change, in order: "r1 acts", "r0 stands down". */
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        replicas.forEach(Replica::close);
    }

    @Test
    void theOldestReplicaOfAMajorityActsAndAStandbyTakesOverWhenItLeaves() throws IOException {
        startThreeWithR0Active();
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
    void theActiveReplicaCutOffStandsDownBeforeTheOthersElectAnother() throws Exception {
        startThreeWithR0Active();

        StateStores.cutOff(replicas.get(0).store);
        long[] after = StateStores.msUntilEach(VIEW_CHANGE, () -> !replicas.get(0).election.active(),
                () -> replicas.get(1).election.active());
        assertThat(after[0]).as("the cut-off replica stood down").isNotNegative();
        assertThat(after[1]).as("the others elected r1").isNotNegative();
        assertThat(after[0]).as("r0 stood down %d ms after the cut, r1 took over %d ms after it", after[0], after[1])
                .isLessThan(after[1]);
        assertThat(active()).containsExactly("r1");
    }

    @Test
    void aReplicaBackFromACutFollowsTheReplicaTheMajorityWentOnWith() throws Exception {
        startThreeWithR0Active();
        // JGroups' own merge policy makes the lowest address among the sides' coordinators lead: cut off the replica
        // that it would make lead after the heal, r0 (active) or r1 (standby), whichever has the lower address.
        boolean r0Lower = StateStores.address(replicas.get(0).store)
                .compareTo(StateStores.address(replicas.get(1).store)) < 0;
        Replica away = replicas.get(r0Lower ? 0 : 1);
        String majorityActive = r0Lower ? "r1" : "r0";
        StateStores.cutOff(away.store);
        await().atMost(VIEW_CHANGE).untilAsserted(() -> {
            assertThat(replicas.get(2).store.members()).hasSize(2);
            assertThat(active()).containsExactly(majorityActive);
        });

        int changesBeforeHeal = changes.size();
        StateStores.heal(away.store);
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(away.store.members())
                .hasSize(3).isEqualTo(replicas.get(2).store.members()));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(active()).containsExactly(majorityActive));
        assertThat(away.store.members().get(0)).isEqualTo(majorityActive);
        assertThat(changes.subList(changesBeforeHeal, changes.size())).as("role changes after the heal").isEmpty();
    }

    @Test
    void aSingleConfiguredReplicaActsAlone() throws IOException {
        int port = MemberPorts.free(1)[0];
        replicas.add(start("solo", port, port, "127.0.0.1[" + port + "]", 1));
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(active()).containsExactly("solo"));
    }

    @Test
    void aReplicaRestartedFirstAndAloneAfterTheOthersWentOnServesTheirStateNotItsOlderFiles() throws Exception {
        int[] ports = MemberPorts.free(3);
        String hosts = Arrays.stream(ports).mapToObj(p -> "127.0.0.1[" + p + "]")
                .collect(Collectors.joining(","));
        Path[] dirs = new Path[3];
        for (int i = 0; i < 3; i++) {
            dirs[i] = Files.createTempDirectory("election-r" + i);
            replicas.add(start("r" + i, ports[i], dirs[i], ports[0], hosts, 3));
        }
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(active()).containsExactly("r0"));
        try (ClusterState state = state(replicas.get(0).store)) {
            state.register(1, "127.0.0.1", 9094, Uuid.randomUuid().toString()).join();
            state.createTopic("t1", 1, 1, Map.of(), false).join();
        }

        // r0 is away while r1 and r2 go on: a topic created, the one r0 knows deleted.
        replicas.get(0).close();
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(active()).containsExactly("r1"));
        try (ClusterState state = state(replicas.get(1).store)) {
            state.register(1, "127.0.0.1", 9094, Uuid.randomUuid().toString()).join();
            state.createTopic("t2", 1, 1, Map.of(), false).join();
            state.deleteTopic("t1").join();
        }
        replicas.get(1).close();
        replicas.get(2).close();

        // r0 starts first and alone: it cannot tell whether its files are the newest, so it does not run them.
        Replica first = start("r0", ports[0], dirs[0], ports[0], hosts, 3);
        replicas.add(first);
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(first.store.notCurrent())
                .hasValueSatisfying(reason -> assertThat(reason).contains("majority")));
        assertThat(first.store.running()).isFalse();

        // r1 joins it: r1's files are newer, so the state starts from them, and r0 empties its own and takes it.
        Replica second = start("r1", ports[1], dirs[1], ports[0], hosts, 3);
        replicas.add(second);
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(active()).hasSize(1));
        Replica serving = replicas.stream().filter(r -> !r.closed && r.election.active()).findFirst().orElseThrow();
        assertThat(topics(serving.store)).as("topics served by " + serving.name).contains("t2").doesNotContain("t1");
        assertThat(topics(first.store)).contains("t2").doesNotContain("t1");
        assertThat(first.store.version()).isEqualTo(second.store.version());
    }

    /** Starts three replicas of one cluster, r0 oldest, and waits until r0 acts. */
    private void startThreeWithR0Active() throws IOException {
        int[] ports = MemberPorts.free(3);
        String hosts = Arrays.stream(ports).mapToObj(p -> "127.0.0.1[" + p + "]")
                .collect(Collectors.joining(","));
        for (int i = 0; i < 3; i++) {
            replicas.add(start("r" + i, ports[i], ports[0], hosts, 3));
        }
        await().atMost(VIEW_CHANGE).untilAsserted(() -> assertThat(active()).containsExactly("r0"));
    }

    private static ClusterState state(StateStore store) {
        ClusterState state = new ClusterState(store, new ObjectMapper(), new ControllerSettings(6_000, 1_000),
                System::currentTimeMillis);
        state.load();
        return state;
    }

    private static List<String> topics(StateStore store) {
        try (ClusterState state = state(store)) {
            return state.topics().stream().map(TopicRecord::name).toList();
        }
    }

    private List<String> active() {
        return replicas.stream().filter(r -> !r.closed && r.election.active()).map(r -> r.name).toList();
    }

    private Replica start(String name, int port, int cluster, String hosts, int configured) throws IOException {
        return start(name, port, Files.createTempDirectory("election-" + name), cluster, hosts, configured);
    }

    private Replica start(String name, int port, Path dir, int cluster, String hosts, int configured) {
        StateStore store = StateStore.start(new NodeSettings(name, "election-" + cluster, dir, "127.0.0.1",
                port, hosts, Optional.empty()), configured);
        ReplicaElection election = new ReplicaElection(store, configured, act -> {
            roles.put(name, act);
            changes.add(name + (act ? " acts" : " stands down"));
        });
        election.start();
        return new Replica(name, store, election);
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
