package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
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
 * Committed offsets expire as Kafka's {@code offsets.retention.minutes} (KIP-211) says, at its default of 7 days, on a
 * real one-node state store, with the coordinator's clock moved by hand and the retention checked by hand. Topic
 * {@code orders} has two partitions.
 */
class OffsetRetentionTest {

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final TopicShape ORDERS = new TopicShape(Uuid.randomUuid(), 2);
    private static final GroupSettings SETTINGS = new GroupSettings(6_000, 1_800_000, 0, 4096,
            Duration.ofDays(7).toMillis(), Duration.ofMinutes(10).toMillis(), 45_000, 5_000, 1_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StateStore store;

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private GroupCoordinator groups;
    private String member;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("offset-retention-test");
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
    void aGroupWithAMemberKeepsItsOffsetsPastTheRetention() {
        joinAndCommit(42);

        for (int day = 1; day <= 8; day++) {
            now.addAndGet(DAY);
            heartbeat();
            groups.checkOffsetRetention().join();
        }

        assertThat(committed()).containsExactly(Map.entry(0, 42L));
        assertThat(listed()).containsExactly("g");
    }

    @Test
    void anEmptyGroupsOffsetsExpireARetentionAfterItBecameEmptyAndTheGroupVanishes() {
        joinAndCommit(42);
        now.addAndGet(3 * DAY);
        heartbeat();
        leave();

        now.addAndGet(4 * DAY + MINUTE);
        groups.checkOffsetRetention().join();

        assertThat(committed()).as("7 days after the commit, 4 after the group became empty")
                .containsExactly(Map.entry(0, 42L));
        assertThat(listed()).containsExactly("g");

        now.addAndGet(3 * DAY);
        groups.checkOffsetRetention().join();

        assertThat(committed()).isEmpty();
        assertThat(listed()).isEmpty();
        assertThat(store.withPrefix("group/")).isEmpty();
        assertThat(store.withPrefix("offset/")).isEmpty();
    }

    @Test
    void standaloneCommitsExpireARetentionAfterTheirCommit() {
        commitStandalone(0, 10);
        now.addAndGet(3 * DAY);
        commitStandalone(1, 11);

        now.addAndGet(4 * DAY + MINUTE);
        groups.checkOffsetRetention().join();

        assertThat(committed()).containsExactly(Map.entry(1, 11L));
        assertThat(listed()).containsExactly("g");

        now.addAndGet(3 * DAY);
        groups.checkOffsetRetention().join();

        assertThat(committed()).isEmpty();
        assertThat(listed()).isEmpty();
    }

    @Test
    void anOffsetCommittedToAGroupLongEmptyCountsFromItsCommit() {
        joinAndCommit(42);
        leave();
        now.addAndGet(6 * DAY);
        commitStandalone(1, 7);

        now.addAndGet(DAY + MINUTE);
        groups.checkOffsetRetention().join();

        assertThat(committed()).containsExactly(Map.entry(1, 7L));
    }

    @Test
    void whenTheGroupBecameEmptySurvivesARestartAndExpiredOffsetsStayGone() {
        joinAndCommit(42);
        now.addAndGet(DAY);
        heartbeat();
        leave();
        await().atMost(Duration.ofSeconds(5)).until(this::storedAsEmpty);

        now.addAndGet(4 * DAY);
        restart();

        assertThat(committed()).containsExactly(Map.entry(0, 42L));

        now.addAndGet(2 * DAY + MINUTE);
        groups.checkOffsetRetention().join();

        assertThat(committed()).as("7 days after the commit, 6 after the group became empty")
                .containsExactly(Map.entry(0, 42L));

        now.addAndGet(DAY);
        groups.checkOffsetRetention().join();

        assertThat(committed()).as("7 days after the group became empty, 3 after the restart").isEmpty();
        assertThat(listed()).isEmpty();

        restart();

        assertThat(committed()).isEmpty();
        assertThat(listed()).isEmpty();
    }

    private GroupCoordinator start() {
        GroupCoordinator started = new GroupCoordinator(store, JSON, SETTINGS, new InstanceSettings(300_000, 1000),
                topic -> topic.equals("orders") ? Optional.of(ORDERS) : Optional.empty(), () -> List.of("orders"),
                now::get);
        started.start();
        return started;
    }

    /** A new group coordinator from the store, as a replica taking over builds it. */
    private void restart() {
        groups.close();
        groups = start();
    }

    /** Group g with one consumer, which commits {@code offset} for orders-0 in generation 1. */
    private void joinAndCommit(long offset) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        JoinGroupResponseData joined = groups.join(new JoinGroupRequestData().setGroupId("g").setMemberId("")
                .setProtocolType("consumer").setProtocols(protocols).setSessionTimeoutMs(30_000)
                .setRebalanceTimeoutMs(60_000), (short) 3, "client", "/127.0.0.1").join();
        member = joined.memberId();
        groups.sync(new SyncGroupRequestData().setGroupId("g").setMemberId(member).setGenerationId(1)
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member)
                        .setAssignment(new byte[0]))))
                .join();
        assertThat(commit(1, member, 0, offset)).isEqualTo(Errors.NONE);
    }

    /** A commit outside group management (assign() and commitSync, or Admin). */
    private void commitStandalone(int partition, long offset) {
        assertThat(commit(-1, "", partition, offset)).isEqualTo(Errors.NONE);
    }

    private Errors commit(int generation, String memberId, int partition, long offset) {
        OffsetCommitResponseData response = groups.commit(new OffsetCommitRequestData().setGroupId("g")
                .setGenerationIdOrMemberEpoch(generation).setMemberId(memberId)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(partition).setCommittedOffset(offset)
                                .setCommittedLeaderEpoch(0).setCommittedMetadata(""))))))
                .join();
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private void heartbeat() {
        assertThat(Errors.forCode(groups.heartbeat(new HeartbeatRequestData().setGroupId("g").setMemberId(member)
                .setGenerationId(1)).join().errorCode())).isEqualTo(Errors.NONE);
    }

    /** The member leaves; the group is Empty from now on. */
    private void leave() {
        groups.leave(new LeaveGroupRequestData().setGroupId("g").setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(member))), (short) 3).join();
    }

    /** Whether the store holds group g as Empty, with when it became so. */
    private boolean storedAsEmpty() throws IOException {
        for (String document : store.withPrefix("group/").values()) {
            if (JSON.readValue(document, GroupStore.GroupRecord.class).emptySince() != null) {
                return true;
            }
        }
        return false;
    }

    /** Group g's committed offsets of orders by partition, as OffsetFetch v8 answers for every topic. */
    private Map<Integer, Long> committed() {
        return groups.fetchOffsets(new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null))), (short) 8)
                .join().groups().get(0).topics().stream().flatMap(t -> t.partitions().stream())
                .collect(Collectors.toMap(p -> p.partitionIndex(), p -> p.committedOffset(), (a, b) -> a, TreeMap::new));
    }

    private List<String> listed() {
        ListGroupsResponseData response = groups.list(new ListGroupsRequestData()).join();
        return response.groups().stream().map(ListGroupsResponseData.ListedGroup::groupId).toList();
    }
}
