package io.sluice.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.vertx.core.Vertx;

/**
 * What any client may send through the gateway, answered by a coordinator on a real listener: counts it must not
 * allocate for. Each gets Kafka's error for the topic it concerns, and the connection stays open for the next
 * request. The cluster here may hold {@value #CAP} partitions.
 */
class UntrustedClientRequestsTest {

    private static final int CAP = 40;

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

    private static void assertResult(short code, String message, Errors expected, String expectedMessage) {
        assertError(code, expected);
        assertThat(message).isEqualTo(expectedMessage);
    }

    private static void assertError(short code, Errors expected) {
        assertThat(Errors.forCode(code)).isEqualTo(expected);
    }
}
