package io.sluice.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
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
import io.sluice.protocol.contract.CoordinatorContract;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The coordinator's Kafka APIs for metadata, topic and config administration, producer ids and brokers' lifecycle, each
 * request answered by the handler over a real one-node state store, with the defaults of the coordinator's settings
 * (one partition, replication factor 3 capped at the live brokers, auto-creation on).
 */
class CoordinatorRequestHandlerTest {

    private static final byte TOPIC = ConfigResource.Type.TOPIC.id();
    private static final byte BROKER = ConfigResource.Type.BROKER.id();
    private static final CoordinatorConfig.Coordinator CONFIG = CoordinatorConfigs.read().coordinator();

    private static StateStore store;

    private ClusterState state;
    private CoordinatorRequestHandler handler;
    private long brokerEpoch;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("coordinator-apis-test");
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    /** A fresh cluster of one live broker, 1. */
    @BeforeEach
    void startState() {
        store.withPrefix("").keySet().forEach(store::remove);
        state = new ClusterState(store, new ObjectMapper(), new ControllerSettings(60_000, 50_000),
                System::currentTimeMillis);
        state.load();
        handler = new CoordinatorRequestHandler(state, null, null, null, CONFIG);
        BrokerRegistrationResponseData registered = send(ApiKeys.BROKER_REGISTRATION, registration(1));
        assertThat(registered.errorCode()).isZero();
        brokerEpoch = registered.brokerEpoch();
    }

    @AfterEach
    void stopState() {
        state.close();
    }

    // ---- topics

    @Test
    void createTopicsFillsInTheDefaultsAndSaysWhereEachConfigComesFrom() {
        CreateTopicsResponseData.CreatableTopicResult created = createTopic(new CreateTopicsRequestData.CreatableTopic()
                .setName("orders").setNumPartitions(-1).setReplicationFactor((short) -1)
                .setConfigs(configs("retention.ms", "1000")));

        assertThat(created.errorCode()).isZero();
        assertThat(created.numPartitions()).isEqualTo(1);
        assertThat(created.replicationFactor()).isEqualTo((short) 1);
        assertThat(created.topicId()).isEqualTo(Uuid.fromString(state.topic("orders").orElseThrow().id()));
        assertThat(created.configs()).filteredOn(c -> c.name().equals("retention.ms")).singleElement()
                .satisfies(c -> assertThat(c.value()).isEqualTo("1000"))
                .satisfies(c -> assertThat(c.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id()));
        assertThat(created.configs()).filteredOn(c -> c.name().equals("cleanup.policy")).singleElement()
                .satisfies(c -> assertThat(c.value()).isEqualTo("delete"))
                .satisfies(c -> assertThat(c.configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id()));
    }

    @Test
    void createTopicsAnswersEachTopicOnItsOwn() {
        createTopic(new CreateTopicsRequestData.CreatableTopic().setName("taken").setNumPartitions(1)
                .setReplicationFactor((short) 1));
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("taken").setNumPartitions(1)
                .setReplicationFactor((short) 1));
        CreateTopicsRequestData.CreatableReplicaAssignmentCollection assignments = new CreateTopicsRequestData.CreatableReplicaAssignmentCollection();
        assignments.add(new CreateTopicsRequestData.CreatableReplicaAssignment().setPartitionIndex(0)
                .setBrokerIds(List.of(1)));
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("placed").setNumPartitions(-1)
                .setReplicationFactor((short) -1).setAssignments(assignments));
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("misconfigured").setNumPartitions(1)
                .setReplicationFactor((short) 1).setConfigs(configs("retention.mss", "1")));
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("too-replicated").setNumPartitions(1)
                .setReplicationFactor((short) 2));
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("fine").setNumPartitions(3)
                .setReplicationFactor((short) 1));

        CreateTopicsResponseData response = send(ApiKeys.CREATE_TOPICS,
                new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(5_000));

        assertError(response.topics().find("taken").errorCode(), Errors.TOPIC_ALREADY_EXISTS);
        assertThat(response.topics().find("taken").errorMessage()).isEqualTo("topic 'taken' already exists");
        assertError(response.topics().find("placed").errorCode(), Errors.INVALID_REQUEST);
        assertThat(response.topics().find("placed").errorMessage())
                .isEqualTo("explicit replica assignments are not supported");
        assertThat(response.topics().find("placed").topicId()).isEqualTo(Uuid.ZERO_UUID);
        assertThat(response.topics().find("placed").numPartitions()).isEqualTo(-1);
        assertError(response.topics().find("misconfigured").errorCode(), Errors.INVALID_CONFIG);
        assertThat(response.topics().find("misconfigured").errorMessage()).contains("retention.mss");
        assertError(response.topics().find("too-replicated").errorCode(), Errors.INVALID_REPLICATION_FACTOR);
        assertThat(response.topics().find("fine").errorCode()).isZero();
        assertThat(response.topics().find("fine").numPartitions()).isEqualTo(3);
        assertThat(state.topic("placed")).isEmpty();
        assertThat(state.topic("fine")).isPresent();
    }

    @Test
    void validateOnlyCreatesNothing() {
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(new CreateTopicsRequestData.CreatableTopic().setName("dry").setNumPartitions(2)
                .setReplicationFactor((short) 1));

        CreateTopicsResponseData response = send(ApiKeys.CREATE_TOPICS,
                new CreateTopicsRequestData().setTopics(topics).setValidateOnly(true));

        assertThat(response.topics().find("dry").errorCode()).isZero();
        assertThat(response.topics().find("dry").numPartitions()).isEqualTo(2);
        assertThat(state.topic("dry")).isEmpty();
    }

    @Test
    void deleteTopicsByNameOrByIdAnswersEachOnItsOwn() {
        Uuid first = createTopic(topic("first")).topicId();
        Uuid second = createTopic(topic("second")).topicId();
        Uuid unknown = Uuid.randomUuid();

        DeleteTopicsResponseData response = send(ApiKeys.DELETE_TOPICS, new DeleteTopicsRequestData()
                .setTopics(List.of(
                        new DeleteTopicsRequestData.DeleteTopicState().setName("first").setTopicId(Uuid.ZERO_UUID),
                        new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(second),
                        new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(unknown),
                        new DeleteTopicsRequestData.DeleteTopicState().setName("never").setTopicId(Uuid.ZERO_UUID))));

        assertThat(response.responses().find("first").errorCode()).isZero();
        assertThat(response.responses().find("first").topicId()).isEqualTo(first);
        DeleteTopicsResponseData.DeletableTopicResult byId = response.responses().stream()
                .filter(r -> second.equals(r.topicId())).findFirst().orElseThrow();
        assertThat(byId.errorCode()).isZero();
        assertThat(byId.name()).isEqualTo("second");
        DeleteTopicsResponseData.DeletableTopicResult byUnknownId = response.responses().stream()
                .filter(r -> unknown.equals(r.topicId())).findFirst().orElseThrow();
        assertError(byUnknownId.errorCode(), Errors.UNKNOWN_TOPIC_ID);
        assertError(response.responses().find("never").errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(response.responses().find("never").errorMessage()).isEqualTo("topic 'never' does not exist");
        assertThat(state.topics()).isEmpty();
    }

    @Test
    void createPartitionsOnlyGrowsATopic() {
        createTopic(topic("grows"));
        CreatePartitionsRequestData.CreatePartitionsTopicCollection topics = new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
        topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("grows").setCount(3));
        topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("placed").setCount(3)
                .setAssignments(List.of(new CreatePartitionsRequestData.CreatePartitionsAssignment()
                        .setBrokerIds(List.of(1)))));
        topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("absent").setCount(3));

        CreatePartitionsResponseData grown = send(ApiKeys.CREATE_PARTITIONS,
                new CreatePartitionsRequestData().setTopics(topics));

        assertThat(result(grown, "grows").errorCode()).isZero();
        assertThat(state.topic("grows").orElseThrow().partitions()).hasSize(3);
        assertError(result(grown, "placed").errorCode(), Errors.INVALID_REQUEST);
        assertThat(result(grown, "placed").errorMessage()).isEqualTo("explicit replica assignments are not supported");
        assertError(result(grown, "absent").errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);

        CreatePartitionsRequestData.CreatePartitionsTopicCollection shrink = new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
        shrink.add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("grows").setCount(2));
        CreatePartitionsResponseData refused = send(ApiKeys.CREATE_PARTITIONS,
                new CreatePartitionsRequestData().setTopics(shrink));

        assertError(result(refused, "grows").errorCode(), Errors.INVALID_PARTITIONS);
        assertThat(result(refused, "grows").errorMessage()).contains("can only grow");
    }

    // ---- configs

    @Test
    void describeConfigsShowsATopicsConfigsAndNoneForABroker() {
        createTopic(topic("described").setConfigs(configs("retention.ms", "1000")));

        DescribeConfigsResponseData response = send(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsRequestData()
                .setIncludeDocumentation(true)
                .setResources(List.of(
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(TOPIC)
                                .setResourceName("described").setConfigurationKeys(List.of("retention.ms", "segment.ms")),
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(TOPIC)
                                .setResourceName("absent").setConfigurationKeys(null),
                        new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(BROKER)
                                .setResourceName("1").setConfigurationKeys(null))));

        DescribeConfigsResponseData.DescribeConfigsResult described = response.results().get(0);
        assertThat(described.errorCode()).isZero();
        assertThat(described.configs()).extracting(c -> c.name()).containsExactly("retention.ms", "segment.ms");
        DescribeConfigsResponseData.DescribeConfigsResourceResult retention = described.configs().get(0);
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.configSource()).isEqualTo(ConfigSource.TOPIC_CONFIG.id());
        assertThat(retention.configType()).isEqualTo(ConfigType.LONG.id());
        assertThat(retention.documentation()).isNotBlank();
        assertThat(described.configs().get(1).configSource()).isEqualTo(ConfigSource.DEFAULT_CONFIG.id());
        assertError(response.results().get(1).errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(response.results().get(1).errorMessage()).isEqualTo("topic 'absent' does not exist");
        assertThat(response.results().get(2).errorCode()).isZero();
        assertThat(response.results().get(2).configs()).isEmpty();
    }

    @Test
    void alterConfigsReplacesATopicsWholeSet() {
        createTopic(topic("altered").setConfigs(configs("retention.ms", "1000")));
        createTopic(topic("altered-badly"));
        AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(alterable(TOPIC, "altered", "segment.ms", "60000"));
        resources.add(alterable(TOPIC, "absent", "segment.ms", "60000"));
        resources.add(alterable(BROKER, "1", "segment.ms", "60000"));
        resources.add(alterable(TOPIC, "altered-badly", "retention.ms", "soon"));

        AlterConfigsResponseData response = send(ApiKeys.ALTER_CONFIGS,
                new AlterConfigsRequestData().setResources(resources));

        assertThat(response.responses().get(0).errorCode()).isZero();
        assertThat(state.topic("altered").orElseThrow().configs()).isEqualTo(Map.of("segment.ms", "60000"));
        assertError(response.responses().get(1).errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(response.responses().get(1).errorMessage()).isEqualTo("topic 'absent' does not exist");
        assertError(response.responses().get(2).errorCode(), Errors.INVALID_REQUEST);
        assertThat(response.responses().get(2).errorMessage()).isEqualTo("only topic configs can change");
        assertError(response.responses().get(3).errorCode(), Errors.INVALID_CONFIG);
        assertThat(state.topic("altered-badly").orElseThrow().configs()).isEmpty();
    }

    @Test
    void incrementalAlterConfigsSetsDeletesAppendsAndSubtracts() {
        createTopic(topic("changed").setConfigs(configs("retention.ms", "1000")));

        IncrementalAlterConfigsResponseData first = incrementalAlter(TOPIC, "changed", false,
                change("segment.ms", OpType.SET.id(), "60000"),
                change("retention.ms", OpType.DELETE.id(), null),
                change("cleanup.policy", OpType.APPEND.id(), "compact"));

        assertThat(first.responses().get(0).errorCode()).isZero();
        assertThat(state.topic("changed").orElseThrow().configs())
                .isEqualTo(Map.of("segment.ms", "60000", "cleanup.policy", "delete,compact"));

        incrementalAlter(TOPIC, "changed", false, change("cleanup.policy", OpType.SUBTRACT.id(), "delete"));

        assertThat(state.topic("changed").orElseThrow().configs())
                .isEqualTo(Map.of("segment.ms", "60000", "cleanup.policy", "compact"));

        incrementalAlter(TOPIC, "changed", true, change("segment.ms", OpType.SET.id(), "70000"));

        assertThat(state.topic("changed").orElseThrow().configs()).containsEntry("segment.ms", "60000");
    }

    @Test
    void incrementalAlterConfigsRefusesUnknownOperationsTopicsAndResources() {
        createTopic(topic("kept").setConfigs(configs("retention.ms", "1000")));

        IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse unknownOperation = incrementalAlter(TOPIC,
                "kept", false, change("retention.ms", (byte) 9, "5"), change("segment.ms", OpType.SET.id(), "60000"))
                .responses().get(0);
        IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse unknownTopic = incrementalAlter(TOPIC,
                "absent", false, change("retention.ms", OpType.SET.id(), "5")).responses().get(0);
        IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse broker = incrementalAlter(BROKER, "1", false,
                change("retention.ms", OpType.SET.id(), "5")).responses().get(0);
        IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse invalid = incrementalAlter(TOPIC, "kept",
                false, change("retention.ms", OpType.SET.id(), "soon")).responses().get(0);

        assertError(unknownOperation.errorCode(), Errors.INVALID_REQUEST);
        assertThat(unknownOperation.errorMessage()).isEqualTo("unknown config operation 9");
        assertError(unknownTopic.errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(unknownTopic.errorMessage()).isEmpty();
        assertError(broker.errorCode(), Errors.INVALID_REQUEST);
        assertThat(broker.errorMessage()).isEqualTo("only topic configs can change");
        assertError(invalid.errorCode(), Errors.INVALID_CONFIG);
        assertThat(state.topic("kept").orElseThrow().configs()).isEqualTo(Map.of("retention.ms", "1000"));
    }

    // ---- metadata

    @Test
    void metadataNamesTheLiveBrokersAndTheCoordinatorAndCreatesTopicsWhenAllowed() {
        MetadataResponseData response = send(ApiKeys.METADATA, new MetadataRequestData()
                .setAllowAutoTopicCreation(true)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("auto"))));

        assertThat(response.clusterId()).isEqualTo(state.clusterId());
        assertThat(response.controllerId()).isEqualTo(CoordinatorContract.NODE_ID);
        assertThat(response.brokers()).extracting(b -> b.nodeId() + "@" + b.host() + ":" + b.port())
                .containsExactlyInAnyOrder("1@127.0.0.1:9094",
                        CoordinatorContract.NODE_ID + "@127.0.0.1:" + CoordinatorContract.KAFKA_PORT);
        MetadataResponseData.MetadataResponseTopic auto = response.topics().find("auto");
        assertThat(auto.errorCode()).isZero();
        assertThat(auto.partitions()).hasSize(1);
        assertThat(auto.partitions().get(0).leaderId()).isEqualTo(1);
        assertThat(auto.partitions().get(0).replicaNodes()).containsExactly(1);
        assertThat(auto.partitions().get(0).isrNodes()).containsExactly(1);
        assertThat(state.topic("auto")).isPresent();
    }

    @Test
    void metadataWithoutAutoCreationAnswersUnknownTopicsWithAnError() {
        MetadataResponseData response = send(ApiKeys.METADATA, new MetadataRequestData()
                .setAllowAutoTopicCreation(false)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("absent"),
                        new MetadataRequestData.MetadataRequestTopic().setName(null).setTopicId(Uuid.randomUuid()))));

        assertError(response.topics().find("absent").errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(response.topics()).filteredOn(t -> t.name() == null).singleElement()
                .satisfies(t -> assertError(t.errorCode(), Errors.UNKNOWN_TOPIC_ID));
        assertThat(state.topic("absent")).isEmpty();
    }

    @Test
    void aBrokerThatLeavesIsNoLongerDescribedNorLeads() {
        createTopic(topic("led"));

        BrokerHeartbeatResponseData leaving = send(ApiKeys.BROKER_HEARTBEAT, new BrokerHeartbeatRequestData()
                .setBrokerId(1).setBrokerEpoch(brokerEpoch).setWantShutDown(true));

        assertThat(leaving.errorCode()).isZero();
        assertThat(leaving.shouldShutDown()).isTrue();
        DescribeClusterResponseData cluster = send(ApiKeys.DESCRIBE_CLUSTER, new DescribeClusterRequestData());
        assertThat(cluster.brokers()).isEmpty();
        assertThat(cluster.controllerId()).isEqualTo(CoordinatorContract.NODE_ID);
        MetadataResponseData metadata = send(ApiKeys.METADATA, new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("led"))));
        MetadataResponseData.MetadataResponsePartition partition = metadata.topics().find("led").partitions().get(0);
        assertError(partition.errorCode(), Errors.LEADER_NOT_AVAILABLE);
        assertThat(partition.leaderId()).isEqualTo(-1);
        assertThat(partition.offlineReplicas()).containsExactly(1);
    }

    // ---- brokers and producer ids

    @Test
    void brokersRegisterWithAValidIdAndHeartbeatWithTheirEpoch() {
        BrokerRegistrationResponseData invalid = send(ApiKeys.BROKER_REGISTRATION, registration(0));
        BrokerHeartbeatResponseData unknown = send(ApiKeys.BROKER_HEARTBEAT,
                new BrokerHeartbeatRequestData().setBrokerId(7).setBrokerEpoch(brokerEpoch));
        BrokerHeartbeatResponseData stale = send(ApiKeys.BROKER_HEARTBEAT,
                new BrokerHeartbeatRequestData().setBrokerId(1).setBrokerEpoch(brokerEpoch - 1));
        BrokerHeartbeatResponseData current = send(ApiKeys.BROKER_HEARTBEAT,
                new BrokerHeartbeatRequestData().setBrokerId(1).setBrokerEpoch(brokerEpoch));

        assertError(invalid.errorCode(), Errors.INVALID_REQUEST);
        assertError(unknown.errorCode(), Errors.BROKER_ID_NOT_REGISTERED);
        assertError(stale.errorCode(), Errors.STALE_BROKER_EPOCH);
        assertThat(current.errorCode()).isZero();
        assertThat(current.shouldShutDown()).isFalse();
    }

    @Test
    void aNewPartitionIsLedByTheBrokerThatOwnsItsDataFirstOnceItReports() {
        Map<Integer, Long> epochs = Map.of(1, brokerEpoch, 2, register(2), 3, register(3));
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(topic("owned").setReplicationFactor((short) 3));
        CompletableFuture<ApiMessage> creation = handler.handle(new RequestFrame(ApiKeys.CREATE_TOPICS.id,
                ApiKeys.CREATE_TOPICS.latestVersion(), 1, "test", new CreateTopicsRequestData().setTopics(topics)), null)
                .toCompletableFuture();
        await().atMost(Duration.ofSeconds(2)).until(() -> state.topics().stream().anyMatch(t -> t.name().equals("owned")));
        TopicRecord created = state.existing("owned");
        PartitionRecord p = created.partitions().get(0);
        List<Integer> owners = List.of(p.replicas().get(2), p.replicas().get(0), p.replicas().get(1));
        int primary = owners.get(0);

        assertThat(p.leader()).as("no leader before the owners report").isEqualTo(-1);
        assertThat(creation).isNotDone();
        assertPartitionError(ownerReport(owners.get(1), epochs.get(owners.get(1)), created, 0, owners),
                Errors.NOT_LEADER_OR_FOLLOWER);
        AlterPartitionResponseData taken = send(ApiKeys.ALTER_PARTITION,
                ownerReport(primary, epochs.get(primary), created, 0, owners));

        assertThat(taken.topics().get(0).partitions().get(0).leaderId()).isEqualTo(primary);
        assertThat(creation).succeedsWithin(Duration.ofSeconds(1));
        PartitionRecord placed = state.existing("owned").partitions().get(0);
        assertThat(placed.leader()).isEqualTo(primary);
        assertThat(placed.replicas()).containsExactlyElementsOf(owners);
    }

    @Test
    void leadershipFollowsTheOwnersItsLeaderReports() {
        Map<Integer, Long> epochs = Map.of(1, brokerEpoch, 2, register(2), 3, register(3));
        createTopic(topic("placed").setReplicationFactor((short) 3));
        TopicRecord created = state.existing("placed");
        PartitionRecord p = created.partitions().get(0);
        int primary = p.replicas().get(1);
        List<Integer> owners = List.of(primary, p.leader(), p.replicas().get(2));
        long leaderEpoch = epochs.get(p.leader());

        AlterPartitionResponseData moved = send(ApiKeys.ALTER_PARTITION,
                ownerReport(p.leader(), leaderEpoch, created, p.leaderEpoch(), owners));
        AlterPartitionResponseData again = send(ApiKeys.ALTER_PARTITION,
                ownerReport(p.leader(), leaderEpoch, created, p.leaderEpoch(), owners));

        AlterPartitionResponseData.PartitionData answer = moved.topics().get(0).partitions().get(0);
        assertThat(answer.errorCode()).isZero();
        assertThat(answer.leaderId()).isEqualTo(primary);
        assertThat(answer.leaderEpoch()).isEqualTo(p.leaderEpoch() + 1);
        assertThat(state.existing("placed").partitions().get(0).replicas()).containsExactlyElementsOf(owners);
        assertError(again.topics().get(0).partitions().get(0).errorCode(), Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void ownerReportsFromAnyoneButTheLeaderAtItsEpochAreRefused() {
        long epoch2 = register(2);
        createTopic(topic("refused").setReplicationFactor((short) 2));
        TopicRecord topic = state.existing("refused");
        PartitionRecord p = topic.partitions().get(0);
        int follower = p.replicas().get(1);
        long leaderEpoch = p.leader() == 1 ? brokerEpoch : epoch2;
        long followerEpoch = p.leader() == 1 ? epoch2 : brokerEpoch;
        createTopic(topic("single"));

        AlterPartitionResponseData stale = send(ApiKeys.ALTER_PARTITION, ownerReport(p.leader(), leaderEpoch - 1,
                topic, p.leaderEpoch(), List.of(follower)));
        assertError(stale.errorCode(), Errors.STALE_BROKER_EPOCH);
        assertPartitionError(ownerReport(follower, followerEpoch, topic, p.leaderEpoch(), List.of(follower)),
                Errors.NOT_LEADER_OR_FOLLOWER);
        assertPartitionError(ownerReport(p.leader(), leaderEpoch, topic, p.leaderEpoch() - 1, List.of(follower)),
                Errors.FENCED_LEADER_EPOCH);
        assertPartitionError(ownerReport(p.leader(), leaderEpoch, topic, p.leaderEpoch(), List.of(follower, 9)),
                Errors.INELIGIBLE_REPLICA);
        assertPartitionError(ownerReport(p.leader(), leaderEpoch, topic, p.leaderEpoch(), List.of(1, 2, follower)),
                Errors.INELIGIBLE_REPLICA);
        TopicRecord single = state.existing("single");
        int alone = single.partitions().get(0).leader();
        assertPartitionError(ownerReport(alone, alone == 1 ? brokerEpoch : epoch2, single, 0, List.of(3 - alone)),
                Errors.INELIGIBLE_REPLICA);
        assertPartitionError(ownerReport(1, brokerEpoch, new TopicRecord("gone", Uuid.randomUuid().toString(), 2,
                Map.of(), List.of(p)), 0, List.of(2)), Errors.UNKNOWN_TOPIC_ID);
        assertThat(state.existing("refused").partitions().get(0)).isEqualTo(p);
        assertThat(state.existing("single").partitions().get(0).leader()).isEqualTo(alone);
    }

    @Test
    void idempotentProducersEachGetANewIdAtEpochZero() {
        InitProducerIdResponseData first = send(ApiKeys.INIT_PRODUCER_ID,
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));
        InitProducerIdResponseData second = send(ApiKeys.INIT_PRODUCER_ID,
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000));

        assertThat(first.errorCode()).isZero();
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isEqualTo(first.producerId() + 1);
    }

    // ---- helpers

    @SuppressWarnings("unchecked")
    private <T extends ApiMessage> T send(ApiKeys api, ApiMessage body) {
        short version = api.latestVersion();
        return (T) handler.handle(new RequestFrame(api.id, version, 1, "test", body), null).toCompletableFuture()
                .join();
    }

    private long register(int broker) {
        BrokerRegistrationResponseData registered = send(ApiKeys.BROKER_REGISTRATION, registration(broker));
        return registered.brokerEpoch();
    }

    private static AlterPartitionRequestData ownerReport(int broker, long epoch, TopicRecord topic, int leaderEpoch,
            List<Integer> owners) {
        List<AlterPartitionRequestData.BrokerState> isr = owners.stream()
                .map(id -> new AlterPartitionRequestData.BrokerState().setBrokerId(id)).toList();
        return new AlterPartitionRequestData().setBrokerId(broker).setBrokerEpoch(epoch)
                .setTopics(List.of(new AlterPartitionRequestData.TopicData().setTopicId(Uuid.fromString(topic.id()))
                        .setPartitions(List.of(new AlterPartitionRequestData.PartitionData().setPartitionIndex(0)
                                .setLeaderEpoch(leaderEpoch).setNewIsrWithEpochs(new ArrayList<>(isr))))));
    }

    private void assertPartitionError(AlterPartitionRequestData report, Errors expected) {
        AlterPartitionResponseData response = send(ApiKeys.ALTER_PARTITION, report);
        assertThat(response.errorCode()).isZero();
        assertError(response.topics().get(0).partitions().get(0).errorCode(), expected);
    }

    private static BrokerRegistrationRequestData registration(int id) {
        BrokerRegistrationRequestData.ListenerCollection listeners = new BrokerRegistrationRequestData.ListenerCollection();
        listeners.add(new BrokerRegistrationRequestData.Listener().setName("PLAINTEXT").setHost("127.0.0.1")
                .setPort(9094));
        return new BrokerRegistrationRequestData().setBrokerId(id).setListeners(listeners)
                .setIncarnationId(Uuid.randomUuid());
    }

    private static CreateTopicsRequestData.CreatableTopic topic(String name) {
        return new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(1)
                .setReplicationFactor((short) 1);
    }

    private static CreateTopicsRequestData.CreatableTopicConfigCollection configs(String name, String value) {
        CreateTopicsRequestData.CreatableTopicConfigCollection configs = new CreateTopicsRequestData.CreatableTopicConfigCollection();
        configs.add(new CreateTopicsRequestData.CreatableTopicConfig().setName(name).setValue(value));
        return configs;
    }

    private CreateTopicsResponseData.CreatableTopicResult createTopic(CreateTopicsRequestData.CreatableTopic topic) {
        CreateTopicsRequestData.CreatableTopicCollection topics = new CreateTopicsRequestData.CreatableTopicCollection();
        topics.add(topic);
        CreateTopicsResponseData response = send(ApiKeys.CREATE_TOPICS, new CreateTopicsRequestData().setTopics(topics));
        return response.topics().find(topic.name());
    }

    private static CreatePartitionsResponseData.CreatePartitionsTopicResult result(CreatePartitionsResponseData response,
            String topic) {
        return response.results().stream().filter(r -> r.name().equals(topic)).findFirst().orElseThrow();
    }

    private static AlterConfigsRequestData.AlterConfigsResource alterable(byte type, String name, String config,
            String value) {
        AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
        configs.add(new AlterConfigsRequestData.AlterableConfig().setName(config).setValue(value));
        return new AlterConfigsRequestData.AlterConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigs(configs);
    }

    private static IncrementalAlterConfigsRequestData.AlterableConfig change(String name, byte operation,
            String value) {
        return new IncrementalAlterConfigsRequestData.AlterableConfig().setName(name).setConfigOperation(operation)
                .setValue(value);
    }

    private IncrementalAlterConfigsResponseData incrementalAlter(byte type, String name, boolean validateOnly,
            IncrementalAlterConfigsRequestData.AlterableConfig... changes) {
        IncrementalAlterConfigsRequestData.AlterableConfigCollection configs = new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
        for (IncrementalAlterConfigsRequestData.AlterableConfig change : changes) {
            configs.add(change);
        }
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources = new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType(type)
                .setResourceName(name).setConfigs(configs));
        return send(ApiKeys.INCREMENTAL_ALTER_CONFIGS,
                new IncrementalAlterConfigsRequestData().setResources(resources).setValidateOnly(validateOnly));
    }

    private static void assertError(short code, Errors expected) {
        assertThat(Errors.forCode(code)).isEqualTo(expected);
    }
}
