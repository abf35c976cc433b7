package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * OffsetCommit, TxnOffsetCommit and OffsetFetch outside group management (as assign() and a transactional producer
 * use them), on a real one-node state store; topic {@code orders} has two partitions, no other topic exists.
 */
class OffsetCommitsTest {

    private static final TopicShape ORDERS = new TopicShape(Uuid.randomUuid(), 2);
    private static final GroupSettings SETTINGS = new GroupSettings(6_000, 1_800_000, 0, 16, 604_800_000, 600_000, 45_000,
            5_000, 1_000);
    private static StateStore store;

    private GroupCoordinator groups;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("offset-commits-test");
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    @BeforeEach
    void startGroups() {
        store.withPrefix("").keySet().forEach(store::remove);
        groups = start();
    }

    @AfterEach
    void stopGroups() {
        groups.close();
    }

    @Test
    void acceptedOffsetsAreStoredAndTheOthersAnsweredWithTheirError() {
        OffsetCommitResponseData response = groups.commit(new OffsetCommitRequestData().setGroupId("g")
                .setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
                                commit(0, 42, null),
                                commit(1, 7, "far too long metadata"),
                                commit(2, 1, ""))),
                        new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("absent")
                                .setPartitions(List.of(commit(0, 1, ""))))))
                .join();

        assertThat(response.topics().get(0).partitions()).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.NONE, Errors.OFFSET_METADATA_TOO_LARGE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(Errors.forCode(response.topics().get(1).partitions().get(0).errorCode()))
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        OffsetFetchResponseData.OffsetFetchResponsePartitions committed = fetchAll().get(0);
        assertThat(committed.partitionIndex()).isZero();
        assertThat(committed.committedOffset()).isEqualTo(42);
        assertThat(committed.committedLeaderEpoch()).isEqualTo(3);
        assertThat(committed.metadata()).isEmpty();
        assertThat(fetchAll()).hasSize(1);
    }

    @Test
    void aCommitWithAGenerationForAGroupThatDoesNotExistIsRefused() {
        OffsetCommitResponseData response = groups.commit(new OffsetCommitRequestData().setGroupId("g")
                .setGenerationIdOrMemberEpoch(4).setMemberId("m")
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders")
                        .setPartitions(List.of(commit(0, 42, ""))))))
                .join();

        assertThat(Errors.forCode(response.topics().get(0).partitions().get(0).errorCode()))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(fetchAll()).isEmpty();
    }

    @Test
    void transactionalOffsetsTakeEffectOnlyWhenTheTransactionCommits() {
        TxnOffsetCommitResponseData response = commitTransactional(7, 10).join();

        assertThat(response.topics().get(0).partitions()).extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(fetchAll()).isEmpty();

        groups.close();
        groups = start();
        commitTransactional(7, 11).join();

        assertThat(Errors.forCode(fetchOrders1(true).errorCode())).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT);
        assertThat(fetchOrders1(true).committedOffset()).isEqualTo(-1);
        assertThat(fetchOrders1(false).errorCode()).isZero();

        groups.completeTransaction("g", 7, true).join();

        assertThat(fetchOrders1(true).errorCode()).isZero();
        assertThat(fetchOrders1(true).committedOffset()).isEqualTo(11);
        groups.close();
        groups = start();
        assertThat(fetchOrders1(true).committedOffset()).isEqualTo(11);
    }

    @Test
    void anAbortedTransactionsOffsetsVanish() {
        commitTransactional(8, 10).join();

        groups.completeTransaction("g", 8, false).join();

        assertThat(fetchAll()).isEmpty();
        assertThat(fetchOrders1(true).errorCode()).isZero();
        assertThat(fetchOrders1(true).committedOffset()).isEqualTo(-1);
    }

    private GroupCoordinator start() {
        GroupCoordinator started = new GroupCoordinator(store, new ObjectMapper(), SETTINGS,
                new InstanceSettings(300_000, 1000),
                topic -> topic.equals("orders") ? Optional.of(ORDERS) : Optional.empty(), () -> List.of("orders"),
                System::currentTimeMillis);
        started.start();
        return started;
    }

    private static OffsetCommitRequestData.OffsetCommitRequestPartition commit(int partition, long offset,
            String metadata) {
        return new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition)
                .setCommittedOffset(offset).setCommittedLeaderEpoch(3).setCommittedMetadata(metadata);
    }

    /** Offset {@code offset} of orders-1, and one of a partition orders does not have, in the producer's transaction. */
    private CompletableFuture<TxnOffsetCommitResponseData> commitTransactional(long producerId,
            long offset) {
        return groups.commitTransactional(new TxnOffsetCommitRequestData().setTransactionalId("t").setGroupId("g")
                .setProducerId(producerId).setProducerEpoch((short) 0).setGenerationId(-1).setMemberId("")
                .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("orders")
                        .setPartitions(List.of(
                                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(1)
                                        .setCommittedOffset(offset).setCommittedLeaderEpoch(3)
                                        .setCommittedMetadata(""),
                                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(9)
                                        .setCommittedOffset(offset).setCommittedLeaderEpoch(3)
                                        .setCommittedMetadata(""))))));
    }

    /** Every offset group g has committed, as OffsetFetch v8 answers. */
    private List<OffsetFetchResponseData.OffsetFetchResponsePartitions> fetchAll() {
        return fetch(false, null);
    }

    /** Group g's offset of orders-1, as OffsetFetch v8 answers. */
    private OffsetFetchResponseData.OffsetFetchResponsePartitions fetchOrders1(boolean requireStable) {
        return fetch(requireStable, List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("orders")
                .setPartitionIndexes(List.of(1)))).get(0);
    }

    private List<OffsetFetchResponseData.OffsetFetchResponsePartitions> fetch(boolean requireStable,
            List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics) {
        OffsetFetchResponseData response = groups.fetchOffsets(new OffsetFetchRequestData()
                .setRequireStable(requireStable)
                .setGroups(List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g")
                        .setTopics(topics))),
                (short) 8).join();
        return response.groups().get(0).topics().stream().flatMap(t -> t.partitions().stream()).toList();
    }
}
