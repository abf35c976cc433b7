package io.sluice.coordinator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Brokers' sessions as the cluster state judges them, with its clock moved by hand and a check every 500 ms, as the
 * active replica makes them. Three brokers with a session timeout of 6 s lead one partition each of topic {@code led};
 * brokers 1 and 2 heartbeat every 500 ms, broker 3 fell silent.
 */
class BrokerLivenessTest {

    private static final long SESSION_TIMEOUT_MS = 6_000;
    private static final long CHECK_MS = 500;

    private static StateStore store;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final long[] epochs = new long[4];
    private ClusterState state;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("broker-liveness-test");
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void startState() {
        store.withPrefix("").keySet().forEach(store::remove);
        state = new ClusterState(store, new ObjectMapper(), new ControllerSettings(SESSION_TIMEOUT_MS, 1_000),
                now::get);
        state.load();
        for (int broker = 1; broker <= 3; broker++) {
            epochs[broker] = state.register(broker, "127.0.0.1", 9093 + broker, Uuid.randomUuid().toString()).join();
        }
        state.createTopic("led", 3, 1, Map.of(), false).join();
    }

    @AfterEach
    void stopState() {
        state.close();
    }

    @Test
    void aBrokerSilentForItsSessionTimeoutIsDeadAndItsPartitionMoves() {
        runWithBrokers1And2(SESSION_TIMEOUT_MS + 2 * CHECK_MS);

        assertThat(state.liveBrokers()).containsExactly(1, 2);
        assertThat(partitions()).extracting(PartitionRecord::leader).doesNotContain(3);
    }

    @Test
    void aCoordinatorPausedLongerThanTheSessionTimeoutDeclaresNoBrokerDead() {
        runWithBrokers1And2(2 * CHECK_MS);
        List<PartitionRecord> before = partitions();

        now.addAndGet(15_000);
        state.expireSilentBrokers().join();

        assertThat(state.liveBrokers()).containsExactly(1, 2, 3);
        assertThat(partitions()).isEqualTo(before);

        runWithBrokers1And2(SESSION_TIMEOUT_MS + 2 * CHECK_MS);

        assertThat(state.liveBrokers()).containsExactly(1, 2);
    }

    @Test
    void afterATakeoverEveryKnownBrokerHasTwoSessionTimeoutsToFindTheNewActiveReplica() {
        state.close();
        state = new ClusterState(store, new ObjectMapper(), new ControllerSettings(SESSION_TIMEOUT_MS, 1_000),
                now::get);
        state.load();
        List<PartitionRecord> before = partitions();

        runWithBrokers1And2(SESSION_TIMEOUT_MS + 2 * CHECK_MS);

        assertThat(state.liveBrokers()).containsExactly(1, 2, 3);
        assertThat(partitions()).isEqualTo(before);

        runWithBrokers1And2(SESSION_TIMEOUT_MS);

        assertThat(state.liveBrokers()).containsExactly(1, 2);
    }

    @Test
    void aBrokerAskingToBeFencedLeadsNothingUntilItStopsAsking() {
        TopicRecord spread = state.createTopic("spread", 6, 3, Map.of(), false).join();
        state.placed(spread, Duration.ZERO).join();
        assertThat(partitions("spread")).extracting(PartitionRecord::leader).contains(3);

        assertThat(state.heartbeat(3, epochs[3], true)).isTrue();
        state.expireSilentBrokers().join();

        assertThat(state.liveBrokers()).containsExactly(1, 2);
        assertThat(partitions("spread")).extracting(PartitionRecord::leader).doesNotContain(3).doesNotContain(-1);

        assertThat(state.heartbeat(3, epochs[3], false)).isTrue();
        state.expireSilentBrokers().join();

        assertThat(state.liveBrokers()).containsExactly(1, 2, 3);
    }

    /** {@code durationMs} of checks every 500 ms, brokers 1 and 2 heartbeating before each. */
    private void runWithBrokers1And2(long durationMs) {
        for (long passed = 0; passed < durationMs; passed += CHECK_MS) {
            now.addAndGet(CHECK_MS);
            assertThat(state.heartbeat(1, epochs[1], false)).isTrue();
            assertThat(state.heartbeat(2, epochs[2], false)).isTrue();
            state.expireSilentBrokers().join();
        }
    }

    private List<PartitionRecord> partitions() {
        return partitions("led");
    }

    private List<PartitionRecord> partitions(String topic) {
        return state.topic(topic).orElseThrow().partitions();
    }
}
