package io.sluice.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.coordinator.metadata.TopicConfigs;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.vertx.core.Vertx;

/**
 * What any client may send through the gateway, answered by a coordinator on a real listener: counts it must not
 * allocate for, and odd but decodable requests. Each gets Kafka's error for the topic or resource it concerns, the
 * valid rest of the request is served, and the connection stays open for the next request. The cluster here may hold
 * {@value #CAP} partitions.
 */
class UntrustedClientRequestsTest {

    private static final int CAP = 40;
    private static final byte TOPIC = ConfigResource.Type.TOPIC.id();
    private static final byte BROKER = ConfigResource.Type.BROKER.id();
    private static final byte UNKNOWN_TYPE = 99;

    private static StateStore store;
    private static Vertx vertx;

    private ListeningCoordinator coordinator;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("untrusted-client-requests-test");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopStore() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        store.close();
    }

    @BeforeEach
    void startCoordinator() {
        coordinator = new ListeningCoordinator(store, vertx, CAP);
    }

    @AfterEach
    void stopCoordinator() {
        coordinator.close();
    }

    // ---- counts

    @ParameterizedTest(name = "{0} partitions, validateOnly {1}")
    @CsvSource({ "30000000, false", "30000000, true", "2147483647, false", "2147483647, true" })
    void aHugeCreateTopicsIsRefusedAndTheNextRequestIsServed(int partitions, boolean validateOnly) {
        CreateTopicsResponseData refused = coordinator.send(createTopics(validateOnly, topic("huge", partitions)));

        assertError(refused.topics().find("huge").errorCode(), Errors.POLICY_VIOLATION);
        assertThat(refused.topics().find("huge").errorMessage())
                .startsWith("Excessively large number of partitions per request: " + partitions + " asked for");
        assertThat(coordinator.state().topic("huge")).isEmpty();

        CreateTopicsResponseData next = coordinator.send(createTopics(false, topic("small", 2)));

        assertThat(next.topics().find("small").errorCode()).isZero();
        assertThat(next.topics().find("small").numPartitions()).isEqualTo(2);
        assertThat(coordinator.connected()).isTrue();
    }

    @Test
    void partitionsAndTopicsAreCountedOverTheWholeRequest() {
        CreateTopicsResponseData partitions = coordinator.send(createTopics(false, topic("half", 6_000),
                topic("other-half", 6_000)));
        CreateTopicsRequestData.CreatableTopic[] many = new CreateTopicsRequestData.CreatableTopic[10_001];
        for (int i = 0; i < many.length; i++) {
            many[i] = topic("t" + i, 0);
        }
        CreateTopicsResponseData topics = coordinator.send(createTopics(true, many));

        assertThat(partitions.topics()).extracting(t -> Errors.forCode(t.errorCode()))
                .containsOnly(Errors.POLICY_VIOLATION);
        assertThat(topics.topics()).hasSize(10_001).extracting(t -> t.errorMessage()).containsOnly(
                "Excessively large number of topics per request: 10001, at most 10000 may be created in one request.");
        assertThat(coordinator.state().topics()).isEmpty();
    }

    @ParameterizedTest(name = "to {0} partitions, validateOnly {1}")
    @CsvSource({ "30000000, false", "30000000, true", "2147483647, false", "2147483647, true" })
    void aHugeCreatePartitionsIsRefusedAndTheNextRequestIsServed(int count, boolean validateOnly) {
        coordinator.send(createTopics(false, topic("grows", 1)));

        CreatePartitionsResponseData refused = coordinator.send(createPartitions(validateOnly, grow("grows", count)));

        assertError(refused.results().get(0).errorCode(), Errors.POLICY_VIOLATION);
        assertThat(refused.results().get(0).errorMessage())
                .startsWith("Excessively large number of partitions per request: " + (count - 1L) + " asked for");
        assertThat(coordinator.state().topic("grows").orElseThrow().partitions()).hasSize(1);

        CreatePartitionsResponseData next = coordinator.send(createPartitions(false, grow("grows", 3)));

        assertThat(next.results().get(0).errorCode()).isZero();
        assertThat(coordinator.state().topic("grows").orElseThrow().partitions()).hasSize(3);
        assertThat(coordinator.connected()).isTrue();
    }

    @Test
    void theClusterWidePartitionCapRefusesWhateverWouldPassIt() {
        assertThat(coordinator.<CreateTopicsResponseData> send(createTopics(false, topic("big", 30))).topics()
                .find("big").errorCode()).isZero();

        CreateTopicsResponseData checked = coordinator.send(createTopics(true, topic("more", 11)));
        CreateTopicsResponseData refused = coordinator.send(createTopics(false, topic("more", 11)));
        CreatePartitionsResponseData grown = coordinator.send(createPartitions(true, grow("big", 41)));
        CreateTopicsResponseData fits = coordinator.send(createTopics(false, topic("fits", 10)));
        MetadataResponseData autoCreated = coordinator.send(new MetadataRequestData().setAllowAutoTopicCreation(true)
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("auto"))));

        for (CreateTopicsResponseData response : List.of(checked, refused)) {
            assertResult(response.topics().find("more").errorCode(), response.topics().find("more").errorMessage(),
                    Errors.POLICY_VIOLATION, "topic 'more' would bring the cluster to 41 partitions, above its limit"
                            + " of 40 (sluice.coordinator.max-partitions)");
        }
        assertError(grown.results().get(0).errorCode(), Errors.POLICY_VIOLATION);
        assertThat(fits.topics().find("fits").errorCode()).isZero();
        assertError(autoCreated.topics().find("auto").errorCode(), Errors.POLICY_VIOLATION);
        assertThat(coordinator.state().topics()).extracting(t -> t.name()).containsExactlyInAnyOrder("big", "fits");
        assertThat(coordinator.state().topics().stream().mapToInt(t -> t.partitions().size()).sum()).isEqualTo(CAP);
    }

    // ---- odd admin requests

    @Test
    void createTopicsAnswersEachOddTopicWithKafkasErrorAndCreatesTheRest() {
        CreateTopicsResponseData response = coordinator.send(createTopics(false,
                topic("twice", 1), topic("twice", 2),
                topic("", 1),
                topic("bad name!", 1),
                topic("zero", 0),
                new CreateTopicsRequestData.CreatableTopic().setName("no-replicas").setNumPartitions(1)
                        .setReplicationFactor((short) -2),
                topic("no-value", 1).setConfigs(config("retention.ms", null)),
                topic("long-value", 1).setConfigs(config("cleanup.policy",
                        "delete,".repeat(TopicConfigs.MAX_VALUE_LENGTH / 7 + 1))),
                topic("fine", 1).setConfigs(config("retention.ms", "1000"))));

        assertThat(response.topics()).extracting(t -> t.name()).containsExactly("twice", "", "bad name!", "zero",
                "no-replicas", "no-value", "long-value", "fine");
        assertResult(response.topics().find("twice").errorCode(), response.topics().find("twice").errorMessage(),
                Errors.INVALID_REQUEST, "Duplicate topic name.");
        assertError(response.topics().find("").errorCode(), Errors.INVALID_TOPIC_EXCEPTION);
        assertError(response.topics().find("bad name!").errorCode(), Errors.INVALID_TOPIC_EXCEPTION);
        assertError(response.topics().find("zero").errorCode(), Errors.INVALID_PARTITIONS);
        assertError(response.topics().find("no-replicas").errorCode(), Errors.INVALID_REPLICATION_FACTOR);
        assertResult(response.topics().find("no-value").errorCode(), response.topics().find("no-value").errorMessage(),
                Errors.INVALID_CONFIG, "Null value not supported for topic configs: retention.ms");
        assertError(response.topics().find("long-value").errorCode(), Errors.INVALID_CONFIG);
        assertThat(response.topics().find("fine").errorCode()).isZero();
        assertThat(coordinator.state().topics()).extracting(t -> t.name()).containsExactly("fine");
    }

    @Test
    void deleteTopicsChecksWhatNamesWhatAsKafkaDoesAndDeletesTheRest() {
        Map<String, Uuid> ids = new HashMap<>();
        for (String name : List.of("both", "twice", "twice-by-id", "named-both-ways", "deleted")) {
            ids.put(name, coordinator.<CreateTopicsResponseData> send(createTopics(false, topic(name, 1))).topics()
                    .find(name).topicId());
        }
        Uuid unknown = Uuid.randomUuid();

        DeleteTopicsResponseData response = coordinator.send(new DeleteTopicsRequestData().setTopics(List.of(
                target(null, Uuid.ZERO_UUID),
                target("both", ids.get("both")),
                target("twice", Uuid.ZERO_UUID), target("twice", Uuid.ZERO_UUID),
                target(null, ids.get("twice-by-id")), target(null, ids.get("twice-by-id")),
                target(null, unknown),
                target("never", Uuid.ZERO_UUID),
                target("named-both-ways", Uuid.ZERO_UUID), target(null, ids.get("named-both-ways")),
                target("deleted", Uuid.ZERO_UUID))));

        assertThat(response.responses()).hasSize(9);
        List<DeleteTopicsResponseData.DeletableTopicResult> results = List.copyOf(response.responses());
        assertResult(results.get(0).errorCode(), results.get(0).errorMessage(), Errors.INVALID_REQUEST,
                "Neither topic name nor id were specified.");
        assertResult(results.get(1).errorCode(), results.get(1).errorMessage(), Errors.INVALID_REQUEST,
                "You may not specify both topic name and topic id.");
        assertResult(results.get(2).errorCode(), results.get(2).errorMessage(), Errors.INVALID_REQUEST,
                "Duplicate topic name.");
        assertResult(results.get(3).errorCode(), results.get(3).errorMessage(), Errors.INVALID_REQUEST,
                "Duplicate topic id.");
        assertThat(results.get(3).name()).isNull();
        assertError(results.get(4).errorCode(), Errors.UNKNOWN_TOPIC_ID);
        assertError(results.get(5).errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertResult(results.get(6).errorCode(), results.get(6).errorMessage(), Errors.INVALID_REQUEST,
                "The provided topic name maps to an ID that was already supplied.");
        assertThat(results.get(6).topicId()).isEqualTo(ids.get("named-both-ways"));
        assertThat(results.get(7).errorCode()).isZero();
        assertThat(results.get(7).name()).isEqualTo("named-both-ways");
        assertThat(results.get(8).errorCode()).isZero();
        assertThat(coordinator.state().topics()).extracting(t -> t.name())
                .containsExactlyInAnyOrder("both", "twice", "twice-by-id");
    }

    @Test
    void createPartitionsRefusesATopicNamedTwiceAndGrowsTheRest() {
        coordinator.send(createTopics(false, topic("twice", 1), topic("once", 1)));

        CreatePartitionsResponseData response = coordinator.send(createPartitions(false,
                grow("twice", 2), grow("once", 2), grow("twice", 3), grow("absent", 2)));

        assertThat(response.results()).extracting(r -> r.name()).containsExactly("twice", "once", "absent");
        assertResult(response.results().get(0).errorCode(), response.results().get(0).errorMessage(),
                Errors.INVALID_REQUEST, "Duplicate topic name.");
        assertThat(response.results().get(1).errorCode()).isZero();
        assertError(response.results().get(2).errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(coordinator.state().topic("twice").orElseThrow().partitions()).hasSize(1);
        assertThat(coordinator.state().topic("once").orElseThrow().partitions()).hasSize(2);
    }

    @Test
    void alterConfigsAnswersEachOddResourceWithKafkasErrorAndAltersTheRest() {
        coordinator.send(createTopics(false, topic("twice", 1), topic("keys-twice", 1), topic("no-value", 1),
                topic("long-value", 1), topic("altered", 1)));
        AlterConfigsRequestData.AlterConfigsResourceCollection resources = new AlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(alterable(TOPIC, "twice", "retention.ms", "1000"));
        resources.add(alterable(TOPIC, "twice", "retention.ms", "2000"));
        resources.add(alterable(TOPIC, "keys-twice", "retention.ms", "1000", "retention.ms", "2000"));
        resources.add(alterable(TOPIC, "no-value", "retention.ms", null));
        resources.add(alterable(UNKNOWN_TYPE, "twice", "retention.ms", "1000"));
        resources.add(alterable(TOPIC, "", "retention.ms", "1000"));
        resources.add(alterable(TOPIC, "bad name!", "retention.ms", "1000"));
        resources.add(alterable(TOPIC, "absent", "retention.ms", "1000"));
        resources.add(alterable(TOPIC, "long-value", "cleanup.policy",
                "delete,".repeat(TopicConfigs.MAX_VALUE_LENGTH / 7 + 1)));
        resources.add(alterable(TOPIC, "altered", "segment.ms", "60000"));

        AlterConfigsResponseData response = coordinator.send(new AlterConfigsRequestData().setResources(resources));

        List<AlterConfigsResponseData.AlterConfigsResourceResponse> results = response.responses();
        assertThat(results).hasSize(10);
        assertResult(results.get(0).errorCode(), results.get(0).errorMessage(), Errors.INVALID_REQUEST,
                "Each resource must appear at most once.");
        assertResult(results.get(1).errorCode(), results.get(1).errorMessage(), Errors.INVALID_REQUEST,
                "Each resource must appear at most once.");
        assertResult(results.get(2).errorCode(), results.get(2).errorMessage(), Errors.INVALID_REQUEST,
                "Error due to duplicate config keys");
        assertResult(results.get(3).errorCode(), results.get(3).errorMessage(), Errors.INVALID_REQUEST,
                "Null value not supported for : retention.ms");
        assertResult(results.get(4).errorCode(), results.get(4).errorMessage(), Errors.INVALID_REQUEST,
                "Unknown resource type 99");
        assertResult(results.get(5).errorCode(), results.get(5).errorMessage(), Errors.INVALID_REQUEST,
                "Default topic resources are not allowed.");
        assertError(results.get(6).errorCode(), Errors.INVALID_TOPIC_EXCEPTION);
        assertError(results.get(7).errorCode(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertError(results.get(8).errorCode(), Errors.INVALID_CONFIG);
        assertThat(results.get(9).errorCode()).isZero();
        assertThat(coordinator.state().topic("altered").orElseThrow().configs()).isEqualTo(Map.of("segment.ms",
                "60000"));
        assertThat(coordinator.state().topics()).filteredOn(t -> !t.name().equals("altered"))
                .allSatisfy(t -> assertThat(t.configs()).isEmpty());
    }

    @Test
    void incrementalAlterConfigsAnswersEachOddResourceWithKafkasErrorAndAltersTheRest() {
        coordinator.send(createTopics(false, topic("twice", 1), topic("keys-twice", 1), topic("no-value", 1),
                topic("appended", 1), topic("unknown-operation", 1),
                topic("altered", 1).setConfigs(config("retention.ms", "1000"))));
        IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources = new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
        resources.add(changes(TOPIC, "twice", change("retention.ms", OpType.SET, "1000")));
        resources.add(changes(TOPIC, "twice", change("retention.ms", OpType.SET, "2000")));
        resources.add(changes(TOPIC, "keys-twice", change("retention.ms", OpType.SET, "1000"),
                change("retention.ms", OpType.DELETE, null)));
        resources.add(changes(TOPIC, "no-value", change("retention.ms", OpType.SET, null)));
        resources.add(changes(TOPIC, "appended", change("retention.ms", OpType.APPEND, "1000")));
        resources.add(changes(TOPIC, "unknown-operation", new IncrementalAlterConfigsRequestData.AlterableConfig()
                .setName("retention.ms").setConfigOperation((byte) 9).setValue("1")));
        resources.add(changes(UNKNOWN_TYPE, "twice", change("retention.ms", OpType.SET, "1000")));
        resources.add(changes(TOPIC, "", change("retention.ms", OpType.SET, "1000")));
        resources.add(changes(TOPIC, "altered", change("retention.ms", OpType.DELETE, null),
                change("cleanup.policy", OpType.APPEND, "compact")));

        IncrementalAlterConfigsResponseData response = coordinator.send(new IncrementalAlterConfigsRequestData()
                .setResources(resources));

        List<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> results = response.responses();
        assertThat(results).hasSize(9);
        assertResult(results.get(0).errorCode(), results.get(0).errorMessage(), Errors.INVALID_REQUEST,
                "Each resource must appear at most once.");
        assertResult(results.get(1).errorCode(), results.get(1).errorMessage(), Errors.INVALID_REQUEST,
                "Each resource must appear at most once.");
        assertResult(results.get(2).errorCode(), results.get(2).errorMessage(), Errors.INVALID_REQUEST,
                "Error due to duplicate config keys");
        assertResult(results.get(3).errorCode(), results.get(3).errorMessage(), Errors.INVALID_REQUEST,
                "Null value not supported for : retention.ms");
        assertResult(results.get(4).errorCode(), results.get(4).errorMessage(), Errors.INVALID_CONFIG,
                "Can't APPEND to key retention.ms because its type is not LIST.");
        assertResult(results.get(5).errorCode(), results.get(5).errorMessage(), Errors.INVALID_REQUEST,
                "unknown config operation 9");
        assertResult(results.get(6).errorCode(), results.get(6).errorMessage(), Errors.INVALID_REQUEST,
                "Unknown resource type 99");
        assertResult(results.get(7).errorCode(), results.get(7).errorMessage(), Errors.INVALID_REQUEST,
                "Default topic resources are not allowed.");
        assertThat(results.get(8).errorCode()).isZero();
        assertThat(coordinator.state().topic("altered").orElseThrow().configs())
                .isEqualTo(Map.of("cleanup.policy", "delete,compact"));
        assertThat(coordinator.state().topics()).filteredOn(t -> !t.name().equals("altered"))
                .allSatisfy(t -> assertThat(t.configs()).isEmpty());
    }

    @Test
    void describeConfigsAnswersEachOddResourceOnItsOwnAndARepeatedOneOnce() {
        coordinator.send(createTopics(false, topic("described", 1)));

        DescribeConfigsResponseData response = coordinator.send(new DescribeConfigsRequestData().setResources(List.of(
                describable(TOPIC, "described"),
                describable(TOPIC, "described"),
                describable(UNKNOWN_TYPE, "described"),
                describable(TOPIC, "bad name!"),
                describable(BROKER, "one"),
                describable(BROKER, "1"))));

        List<DescribeConfigsResponseData.DescribeConfigsResult> results = response.results();
        assertThat(results.get(0).errorCode()).isZero();
        assertThat(results.get(0).configs()).isNotEmpty();
        assertResult(results.get(1).errorCode(), results.get(1).errorMessage(), Errors.INVALID_REQUEST,
                "Each resource must appear at most once.");
        assertThat(results.get(1).configs()).isEmpty();
        assertResult(results.get(2).errorCode(), results.get(2).errorMessage(), Errors.INVALID_REQUEST,
                "Unknown resource type 99");
        assertError(results.get(3).errorCode(), Errors.INVALID_TOPIC_EXCEPTION);
        assertError(results.get(4).errorCode(), Errors.INVALID_REQUEST);
        assertThat(results.get(5).errorCode()).isZero();
        assertThat(results.get(5).configs()).isEmpty();
    }

    @Test
    void metadataForATopicIdBeforeV12IsRefusedAndTheNextRequestIsServed() {
        MetadataRequestData byId = new MetadataRequestData().setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName(null).setTopicId(Uuid.randomUuid())));

        MetadataResponseData v11 = coordinator.send(byId, (short) 11);
        MetadataResponseData v12 = coordinator.send(byId, (short) 12);

        assertError(v11.topics().iterator().next().errorCode(), Errors.INVALID_REQUEST);
        assertError(v12.topics().iterator().next().errorCode(), Errors.UNKNOWN_TOPIC_ID);
        assertThat(coordinator.connected()).isTrue();
    }

    @Test
    void aGroupNamedTwiceIsDescribedAndFetchedOnce() {
        DescribeGroupsResponseData described = coordinator.send(new DescribeGroupsRequestData()
                .setGroups(List.of("g", "g")));
        OffsetFetchResponseData fetched = coordinator.send(new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null),
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null))));

        assertThat(described.groups()).extracting(g -> Errors.forCode(g.errorCode()))
                .containsExactly(Errors.NONE, Errors.INVALID_REQUEST);
        assertThat(fetched.groups()).extracting(g -> Errors.forCode(g.errorCode()))
                .containsExactly(Errors.NONE, Errors.INVALID_REQUEST);
    }

    // ---- helpers

    private static CreateTopicsRequestData.CreatableTopic topic(String name, int partitions) {
        return new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor((short) 1);
    }

    private static CreateTopicsRequestData createTopics(boolean validateOnly,
            CreateTopicsRequestData.CreatableTopic... topics) {
        CreateTopicsRequestData.CreatableTopicCollection collection = new CreateTopicsRequestData.CreatableTopicCollection();
        for (CreateTopicsRequestData.CreatableTopic topic : topics) {
            collection.add(topic);
        }
        return new CreateTopicsRequestData().setTopics(collection).setValidateOnly(validateOnly)
                .setTimeoutMs(5_000);
    }

    private static CreateTopicsRequestData.CreatableTopicConfigCollection config(String name, String value) {
        CreateTopicsRequestData.CreatableTopicConfigCollection configs = new CreateTopicsRequestData.CreatableTopicConfigCollection();
        configs.add(new CreateTopicsRequestData.CreatableTopicConfig().setName(name).setValue(value));
        return configs;
    }

    private static CreatePartitionsRequestData.CreatePartitionsTopic grow(String name, int count) {
        return new CreatePartitionsRequestData.CreatePartitionsTopic().setName(name).setCount(count)
                .setAssignments(null);
    }

    private static CreatePartitionsRequestData createPartitions(boolean validateOnly,
            CreatePartitionsRequestData.CreatePartitionsTopic... topics) {
        CreatePartitionsRequestData.CreatePartitionsTopicCollection collection = new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : topics) {
            collection.add(topic);
        }
        return new CreatePartitionsRequestData().setTopics(collection).setValidateOnly(validateOnly)
                .setTimeoutMs(5_000);
    }

    private static DeleteTopicsRequestData.DeleteTopicState target(String name, Uuid id) {
        return new DeleteTopicsRequestData.DeleteTopicState().setName(name).setTopicId(id);
    }

    /** A resource for AlterConfigs with configs given as name, value, name, value... */
    private static AlterConfigsRequestData.AlterConfigsResource alterable(byte type, String name,
            String... namesAndValues) {
        AlterConfigsRequestData.AlterableConfigCollection configs = new AlterConfigsRequestData.AlterableConfigCollection();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            configs.add(new AlterConfigsRequestData.AlterableConfig().setName(namesAndValues[i])
                    .setValue(namesAndValues[i + 1]));
        }
        return new AlterConfigsRequestData.AlterConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigs(configs);
    }

    private static IncrementalAlterConfigsRequestData.AlterableConfig change(String name, OpType op, String value) {
        return new IncrementalAlterConfigsRequestData.AlterableConfig().setName(name).setConfigOperation(op.id())
                .setValue(value);
    }

    private static IncrementalAlterConfigsRequestData.AlterConfigsResource changes(byte type, String name,
            IncrementalAlterConfigsRequestData.AlterableConfig... changes) {
        IncrementalAlterConfigsRequestData.AlterableConfigCollection configs = new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
        for (IncrementalAlterConfigsRequestData.AlterableConfig change : changes) {
            configs.add(change);
        }
        return new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType(type)
                .setResourceName(name).setConfigs(configs);
    }

    private static DescribeConfigsRequestData.DescribeConfigsResource describable(byte type, String name) {
        return new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type).setResourceName(name)
                .setConfigurationKeys(null);
    }

    private static void assertResult(short code, String message, Errors expected, String expectedMessage) {
        assertError(code, expected);
        assertThat(message).isEqualTo(expectedMessage);
    }

    private static void assertError(short code, Errors expected) {
        assertThat(Errors.forCode(code)).isEqualTo(expected);
    }
}
