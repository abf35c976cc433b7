package io.sluice.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.CoordinatorConfig;
import io.sluice.coordinator.CoordinatorConfigs;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.controller.ControllerSettings;
import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.sluice.protocol.codec.RequestFrame;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * ElectLeaders and the partition reassignment APIs answered by the coordinator's handler over a real one-node state
 * store, with three registered brokers.
 */
class PartitionAdminApiTest {

    private static final CoordinatorConfig.Coordinator CONFIG = CoordinatorConfigs.read().coordinator();

    private static StateStore store;

    private ClusterState state;
    private CoordinatorRequestHandler handler;
    private final Map<Integer, Long> brokerEpochs = new HashMap<>();

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("partition-admin-test");
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void startState() {
        store.withPrefix("").keySet().forEach(store::remove);
        state = new ClusterState(store, new ObjectMapper(), new ControllerSettings(60_000, 50_000),
                System::currentTimeMillis);
        state.load();
        handler = new CoordinatorRequestHandler(state, null, null, null, CONFIG);
        for (int broker = 1; broker <= 3; broker++) {
            BrokerRegistrationResponseData registered = send(ApiKeys.BROKER_REGISTRATION, registration(broker));
            assertThat(registered.errorCode()).isZero();
            brokerEpochs.put(broker, registered.brokerEpoch());
        }
    }

    @AfterEach
    void stopState() {
        state.close();
    }

    // ---- ElectLeaders

    @Test
    void aPreferredElectionMovesTheLeadershipBackToTheFirstReplicaWithANewEpoch() {
        PartitionRecord placed = placedTopic("moved", 1).partitions().get(0);
        int preferred = placed.replicas().get(0);
        assertThat(placed.leader()).isEqualTo(preferred);
        assertThat(partitionError(send(ApiKeys.ELECT_LEADERS, election(ElectionType.PREFERRED, "moved", 0))))
                .isEqualTo(Errors.ELECTION_NOT_NEEDED);

        fence(preferred, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaderOf("moved", 0).leader() != preferred);
        fence(preferred, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> state.liveBrokers().contains(preferred));
        PartitionRecord away = leaderOf("moved", 0);
        assertThat(away.leader()).as("a live leader stays where it is").isEqualTo(placed.replicas().get(1));

        ElectLeadersResponseData elected = send(ApiKeys.ELECT_LEADERS,
                election(ElectionType.PREFERRED, "moved", 0));

        assertThat(elected.errorCode()).isZero();
        assertThat(partitionError(elected)).isEqualTo(Errors.NONE);
        PartitionRecord back = leaderOf("moved", 0);
        assertThat(back.leader()).isEqualTo(preferred);
        assertThat(back.leaderEpoch()).isEqualTo(away.leaderEpoch() + 1);
        assertThat(back.replicas()).isEqualTo(placed.replicas());
    }

    @Test
    void aPreferredReplicaThatCannotLeadIsNotAvailableAndUnknownPartitionsAreUnknown() {
        PartitionRecord placed = placedTopic("fenced", 2).partitions().get(0);
        int preferred = placed.replicas().get(0);
        fence(preferred, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaderOf("fenced", 0).leader() != preferred);

        ElectLeadersRequestData request = election(ElectionType.PREFERRED, "fenced", 0, 7);
        request.topicPartitions().add(new ElectLeadersRequestData.TopicPartitions().setTopic("absent")
                .setPartitions(List.of(0)));
        ElectLeadersResponseData answer = send(ApiKeys.ELECT_LEADERS, request);

        Map<String, Errors> errors = errors(answer);
        assertThat(errors).containsEntry("fenced-0", Errors.PREFERRED_LEADER_NOT_AVAILABLE)
                .containsEntry("fenced-7", Errors.UNKNOWN_TOPIC_OR_PARTITION)
                .containsEntry("absent-0", Errors.UNKNOWN_TOPIC_OR_PARTITION)
                .hasSize(3);
        assertThat(leaderOf("fenced", 0).leader()).isNotEqualTo(preferred);
    }

    @Test
    void electingEveryPartitionAnswersOnlyThoseThatNeededIt() {
        TopicRecord topic = placedTopic("every", 3);
        int preferred = topic.partitions().get(1).replicas().get(0);
        fence(preferred, true);
        await().atMost(Duration.ofSeconds(5)).until(() -> leaderOf("every", 1).leader() != preferred);
        fence(preferred, false);
        await().atMost(Duration.ofSeconds(5)).until(() -> state.liveBrokers().contains(preferred));
        List<Integer> moved = state.existing("every").partitions().stream()
                .filter(p -> p.leader() != p.replicas().get(0)).map(PartitionRecord::partition).toList();
        assertThat(moved).contains(1);

        ElectLeadersResponseData all = send(ApiKeys.ELECT_LEADERS, new ElectLeadersRequestData()
                .setElectionType(ElectionType.PREFERRED.value).setTopicPartitions(null));
        ElectLeadersResponseData again = send(ApiKeys.ELECT_LEADERS, new ElectLeadersRequestData()
                .setElectionType(ElectionType.PREFERRED.value).setTopicPartitions(null));

        Map<String, Errors> errors = errors(all);
        assertThat(errors.keySet()).containsExactlyInAnyOrderElementsOf(moved.stream().map(p -> "every-" + p)
                .toList());
        assertThat(errors.values()).containsOnly(Errors.NONE);
        assertThat(errors(again)).isEmpty();
        assertThat(state.existing("every").partitions()).allMatch(p -> p.leader() == p.replicas().get(0));
    }

    @Test
    void anUncleanElectionIsNotNeededWhileAPartitionHasALeaderAndNewPartitionsAreLeftToTheirOwners() {
        placedTopic("unclean", 1);
        state.createTopic("placing", 1, 3, Map.of(), false).join();

        ElectLeadersResponseData unclean = send(ApiKeys.ELECT_LEADERS, election(ElectionType.UNCLEAN, "unclean", 0));
        ElectLeadersResponseData placing = send(ApiKeys.ELECT_LEADERS, election(ElectionType.PREFERRED, "placing", 0));

        assertThat(partitionError(unclean)).isEqualTo(Errors.ELECTION_NOT_NEEDED);
        assertThat(partitionError(placing)).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(leaderOf("placing", 0).leader()).as("left to the broker that owns its data first").isEqualTo(-1);
    }

    @Test
    void electLeadersV0ElectsThePreferredReplicaAndTooManyPartitionsAreRefused() {
        placedTopic("old", 1);
        ElectLeadersRequestData tooMany = election(ElectionType.PREFERRED, "old",
                new int[PartitionAdminApi.MAX_PARTITIONS_PER_REQUEST + 1]);

        ElectLeadersResponseData v0 = send(ApiKeys.ELECT_LEADERS, (short) 0,
                election(ElectionType.PREFERRED, "old", 0).setElectionType((byte) 0));
        ElectLeadersResponseData refused = send(ApiKeys.ELECT_LEADERS, tooMany);

        assertThat(partitionError(v0)).isEqualTo(Errors.ELECTION_NOT_NEEDED);
        assertThat(refused.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    // ---- reassignments

    @Test
    void noReassignmentIsEverInProgress() {
        placedTopic("listed", 1);

        ListPartitionReassignmentsResponseData every = send(ApiKeys.LIST_PARTITION_REASSIGNMENTS,
                new ListPartitionReassignmentsRequestData().setTopics(null));
        ListPartitionReassignmentsResponseData named = send(ApiKeys.LIST_PARTITION_REASSIGNMENTS,
                new ListPartitionReassignmentsRequestData().setTopics(List.of(
                        new ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics().setName("listed")
                                .setPartitionIndexes(List.of(0)))));

        assertThat(every.errorCode()).isZero();
        assertThat(every.topics()).isEmpty();
        assertThat(named.topics()).isEmpty();
    }

    @Test
    void theCurrentReplicasAreAcceptedAndAnyOtherAssignmentIsRefused() {
        List<Integer> replicas = placedTopic("reassigned", 2).partitions().get(0).replicas();
        List<Integer> reordered = List.of(replicas.get(1), replicas.get(0), replicas.get(2));
        AlterPartitionReassignmentsRequestData request = new AlterPartitionReassignmentsRequestData().setTopics(
                List.of(new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName("reassigned")
                        .setPartitions(List.of(reassign(0, replicas), reassign(1, reordered), reassign(1, null),
                                reassign(2, replicas))),
                        new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName("absent")
                                .setPartitions(List.of(reassign(0, replicas)))));

        AlterPartitionReassignmentsResponseData answer = send(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, request);

        assertThat(answer.errorCode()).isZero();
        List<AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse> partitions = answer.responses()
                .get(0).partitions();
        assertThat(partitions).extracting(p -> Errors.forCode(p.errorCode())).containsExactly(Errors.NONE,
                Errors.INVALID_REPLICA_ASSIGNMENT, Errors.NO_REASSIGNMENT_IN_PROGRESS,
                Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(partitions.get(1).errorMessage()).contains("owners of its data");
        assertThat(answer.responses().get(1).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(state.existing("reassigned").partitions().get(1).replicas()).as("nothing moved")
                .isNotEqualTo(reordered);
    }

    @Test
    void aReassignmentOfTooManyPartitionsIsRefusedWhole() {
        List<AlterPartitionReassignmentsRequestData.ReassignablePartition> many = new ArrayList<>();
        for (int p = 0; p <= PartitionAdminApi.MAX_PARTITIONS_PER_REQUEST; p++) {
            many.add(reassign(p, List.of(1)));
        }
        AlterPartitionReassignmentsResponseData answer = send(ApiKeys.ALTER_PARTITION_REASSIGNMENTS,
                new AlterPartitionReassignmentsRequestData().setTopics(List.of(
                        new AlterPartitionReassignmentsRequestData.ReassignableTopic().setName("many")
                                .setPartitions(many))));

        assertThat(answer.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    // ---- helpers

    /** A topic of replication factor 3 whose partitions are led by their first replicas, as no owner reported. */
    private TopicRecord placedTopic(String name, int partitions) {
        TopicRecord topic = state.createTopic(name, partitions, 3, Map.of(), false).join();
        state.placed(topic, Duration.ofMillis(1)).join();
        return state.existing(name);
    }

    private PartitionRecord leaderOf(String topic, int partition) {
        return state.existing(topic).partitions().get(partition);
    }

    private void fence(int broker, boolean fenced) {
        BrokerHeartbeatResponseData answer = send(ApiKeys.BROKER_HEARTBEAT, new BrokerHeartbeatRequestData()
                .setBrokerId(broker).setBrokerEpoch(brokerEpochs.get(broker)).setWantFence(fenced));
        assertThat(answer.errorCode()).isZero();
    }

    private static ElectLeadersRequestData election(ElectionType type, String topic, int... partitions) {
        ElectLeadersRequestData.TopicPartitionsCollection topics = new ElectLeadersRequestData.TopicPartitionsCollection();
        topics.add(new ElectLeadersRequestData.TopicPartitions().setTopic(topic)
                .setPartitions(Arrays.stream(partitions).boxed().toList()));
        return new ElectLeadersRequestData().setElectionType(type.value).setTopicPartitions(topics);
    }

    private static Errors partitionError(ElectLeadersResponseData answer) {
        return Errors.forCode(answer.replicaElectionResults().get(0).partitionResult().get(0).errorCode());
    }

    private static Map<String, Errors> errors(ElectLeadersResponseData answer) {
        Map<String, Errors> errors = new HashMap<>();
        answer.replicaElectionResults().forEach(t -> t.partitionResult().forEach(
                p -> errors.put(t.topic() + "-" + p.partitionId(), Errors.forCode(p.errorCode()))));
        return errors;
    }

    private static AlterPartitionReassignmentsRequestData.ReassignablePartition reassign(int partition,
            List<Integer> replicas) {
        return new AlterPartitionReassignmentsRequestData.ReassignablePartition().setPartitionIndex(partition)
                .setReplicas(replicas);
    }

    private <T extends ApiMessage> T send(ApiKeys api, ApiMessage body) {
        return send(api, api.latestVersion(), body);
    }

    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T send(ApiKeys api, short version, ApiMessage body) {
        return (T) handler.handle(new RequestFrame(api.id, version, 1, "test", body), null).toCompletableFuture()
                .join();
    }

    private static BrokerRegistrationRequestData registration(int id) {
        BrokerRegistrationRequestData.ListenerCollection listeners = new BrokerRegistrationRequestData.ListenerCollection();
        listeners.add(new BrokerRegistrationRequestData.Listener().setName("PLAINTEXT").setHost("127.0.0.1")
                .setPort(9094));
        return new BrokerRegistrationRequestData().setBrokerId(id).setListeners(listeners)
                .setIncarnationId(Uuid.randomUuid());
    }
}
