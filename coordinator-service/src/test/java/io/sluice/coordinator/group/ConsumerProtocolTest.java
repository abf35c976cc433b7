package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
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
 * The consumer group protocol (KIP-848) as a kafka-clients consumer drives it, on a real one-node state store and a
 * test clock: topic {@code orders} has four partitions, {@code audit} seven.
 */
class ConsumerProtocolTest {

    private static final TopicShape ORDERS = new TopicShape(Uuid.randomUuid(), 4);
    private static final TopicShape AUDIT = new TopicShape(Uuid.randomUuid(), 7);
    private static final Map<String, TopicShape> TOPICS = Map.of("orders", ORDERS, "audit", AUDIT);
    private static final int SESSION_TIMEOUT_MS = 45_000;
    private static StateStore store;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private GroupCoordinator groups;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("consumer-protocol-test");
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

    private GroupCoordinator start() {
        GroupCoordinator started = new GroupCoordinator(store, new ObjectMapper(),
                new GroupSettings(6_000, 1_800_000, 0, 4096, 604_800_000, 600_000, SESSION_TIMEOUT_MS, 5_000, 3),
                new InstanceSettings(300_000, 1000), name -> Optional.ofNullable(TOPICS.get(name)),
                TOPICS::keySet, now::get);
        started.start();
        return started;
    }

    @AfterEach
    void stopGroups() {
        groups.close();
    }

    @Test
    void aJoiningMemberGetsPartitionsOnlyAfterTheirHolderRevokedThem() {
        Member first = join("g", "orders");
        assertThat(first.assigned).hasSize(4);
        assertThat(first.epoch).isEqualTo(1);

        Member second = join("g", "orders");
        assertThat(second.assigned).as("nothing is free while the first member holds it all").isEmpty();
        assertThat(second.epoch).isEqualTo(2);

        first.heartbeat();
        assertThat(first.assigned).as("the first keeps two and is asked to revoke two").hasSize(2);
        assertThat(first.epoch).as("its epoch moves once the revocation is done").isEqualTo(1);
        second.heartbeat();
        assertThat(second.assigned).as("still held by the first until it says it revoked them").isEmpty();

        first.heartbeat();
        assertThat(first.epoch).isEqualTo(2);
        second.heartbeat();
        assertThat(second.assigned).hasSize(2).doesNotContainAnyElementsOf(first.assigned);
        assertThat(describe("g").groupState()).isEqualTo("Stable");
    }

    @Test
    void aMemberSilentPastTheSessionTimeoutIsRemovedAndTheOtherTakesItsPartitions() {
        Member first = join("g", "orders");
        Member second = join("g", "orders");
        settle(List.of(first, second));
        assertThat(second.assigned).hasSize(2);

        pass(SESSION_TIMEOUT_MS + 1000, second);
        assertThat(first.heartbeat().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        second.heartbeat();
        assertThat(second.assigned).hasSize(4);
        assertThat(describe("g").members()).hasSize(1);
    }

    @Test
    void aLeavingMemberFreesItsPartitionsAndAnEmptyGroupSaysSo() {
        Member first = join("g", "orders");
        Member second = join("g", "orders");
        settle(List.of(first, second));

        int epoch = second.epoch;
        ConsumerGroupHeartbeatResponseData left = first.leave();
        assertThat(left.errorCode()).isZero();
        assertThat(left.memberEpoch()).isEqualTo(-1);
        now.addAndGet(1000); // past the next look at the topics, which finds nothing new
        second.heartbeat();
        assertThat(second.assigned).hasSize(4);
        assertThat(second.epoch).as("one new epoch for one member gone").isEqualTo(epoch + 1);
        second.leave();
        assertThat(describe("g").groupState()).isEqualTo("Empty");
    }

    @Test
    void aCoordinatorTakingOverKnowsEveryMemberAtItsEpochWithItsPartitions() {
        Member first = join("g", "orders");
        Member second = join("g", "orders");
        settle(List.of(first, second));
        ConsumerGroupDescribeResponseData.DescribedGroup before = describe("g");

        pass(SESSION_TIMEOUT_MS - 1000);
        groups.close();
        groups = start();
        pass(2000);

        ConsumerGroupDescribeResponseData.DescribedGroup after = describe("g");
        assertThat(after.groupEpoch()).isEqualTo(before.groupEpoch());
        assertThat(after.members()).isEqualTo(before.members());
        Set<AssignedPartition> held = Set.copyOf(second.assigned);
        assertThat(first.heartbeat().errorCode()).isZero();
        assertThat(second.heartbeat().errorCode()).isZero();
        assertThat(second.assigned).as("no partition moves").isEqualTo(held);
        assertThat(second.epoch).isEqualTo(before.assignmentEpoch());
    }

    @Test
    void uniformBalancesAndRangeGivesContiguousRanges() {
        List<Member> uniform = List.of(join("u", "audit"), join("u", "audit"), join("u", "audit"));
        settle(uniform);
        assertThat(uniform).extracting(m -> m.assigned.size()).containsExactlyInAnyOrder(3, 2, 2);
        assertThat(union(uniform)).hasSize(7);

        List<Member> range = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            range.add(join("r", "audit", "range"));
        }
        settle(range);
        ConsumerGroupDescribeResponseData.DescribedGroup described = describe("r");
        assertThat(described.assignorName()).isEqualTo("range");
        List<List<Integer>> ranges = described.members().stream()
                .map(m -> m.assignment().topicPartitions().get(0).partitions()).toList();
        assertThat(ranges).containsExactlyInAnyOrder(List.of(0, 1, 2), List.of(3, 4), List.of(5, 6));
    }

    @Test
    void staleEpochsAndUnknownMembersAreFencedAndBadRequestsRefused() {
        Member member = join("g", "orders");
        assertThat(send(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId(member.id)
                .setMemberEpoch(member.epoch + 1)).errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code());
        assertThat(send(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("nobody")
                .setMemberEpoch(3)).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(send(new ConsumerGroupHeartbeatRequestData().setGroupId("never-joined").setMemberId("nobody")
                .setMemberEpoch(3)).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        assertThat(describe("never-joined").errorCode()).as("no group made").isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(send(joinRequest("", "orders", null)).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        join("g", "orders");
        join("g", "orders");
        assertThat(send(joinRequest("g", "orders", null)).errorCode()).as("a fourth member past the maximum of 3")
                .isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code());
        assertThat(send(joinRequest("g", "orders", null).setRebalanceTimeoutMs(-1)).errorCode())
                .isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(send(joinRequest("g", "orders", "sticky")).errorCode())
                .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code());
        assertThat(send(joinRequest("g", "orders", null).setSubscribedTopicNames(null).setSubscribedTopicRegex("(")))
                .satisfies(r -> assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code()));
        // RE2's syntax, as Kafka's coordinator takes it: matched in linear time, so without lookaround or backreferences
        assertThat(send(joinRequest("g", "orders", null).setSubscribedTopicNames(null)
                .setSubscribedTopicRegex("(?=ord)orders")).errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code());

        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g").setMemberId(member.id)
                .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("orders")
                        .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                .setPartitionIndex(0).setCommittedOffset(5)))));
        assertThat(groups.commit(commit.setGenerationIdOrMemberEpoch(member.epoch)).join().topics().get(0)
                .partitions().get(0).errorCode()).isZero();
        assertThat(groups.commit(commit.setGenerationIdOrMemberEpoch(member.epoch - 1)).join().topics().get(0)
                .partitions().get(0).errorCode()).isEqualTo(Errors.STALE_MEMBER_EPOCH.code());
    }

    @Test
    void aGroupKeepsTheProtocolOfItsMembers() {
        join("consumers", "orders");
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        JoinGroupRequestData classicJoin = new JoinGroupRequestData().setMemberId("").setProtocolType("consumer")
                .setProtocols(protocols).setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(60_000);
        assertThat(groups.join(classicJoin.duplicate().setGroupId("consumers"), (short) 9, "c", "/127.0.0.1").join()
                .errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());

        groups.join(classicJoin.duplicate().setGroupId("classic"), (short) 3, "c", "/127.0.0.1").join();
        assertThat(send(joinRequest("classic", "orders", null)).errorCode())
                .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(describe("classic").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    /**
     * Lets time pass as the group thread sees it, checking sessions every 250 ms (a longer silence of its own would be
     * taken for a stall), while the members given heartbeat every 5 s.
     */
    private void pass(long ms, Member... heartbeating) {
        for (long passed = 250; passed <= ms; passed += 250) {
            now.addAndGet(250);
            groups.checkSessions().join();
            if (passed % 5000 == 0) {
                for (Member member : heartbeating) {
                    member.heartbeat();
                }
            }
        }
    }

    /** Heartbeats every member until none of them changes any more. */
    private static void settle(List<Member> members) {
        for (int round = 0; round < 5; round++) {
            members.forEach(Member::heartbeat);
        }
    }

    private static Set<AssignedPartition> union(List<Member> members) {
        Set<AssignedPartition> all = new HashSet<>();
        members.forEach(m -> all.addAll(m.assigned));
        return all;
    }

    private Member join(String group, String topic) {
        return join(group, topic, null);
    }

    private Member join(String group, String topic, String assignor) {
        Member member = new Member(group);
        member.answer(send(joinRequest(group, topic, assignor)));
        return member;
    }

    private static ConsumerGroupHeartbeatRequestData joinRequest(String group, String topic, String assignor) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(Uuid.randomUuid().toString())
                .setMemberEpoch(0).setRebalanceTimeoutMs(60_000).setSubscribedTopicNames(List.of(topic))
                .setServerAssignor(assignor).setTopicPartitions(List.of());
    }

    private ConsumerGroupHeartbeatResponseData send(ConsumerGroupHeartbeatRequestData request) {
        return groups.consumerGroupHeartbeat(request, "client", "/127.0.0.1").join();
    }

    private ConsumerGroupDescribeResponseData.DescribedGroup describe(String group) {
        return groups.describeConsumerGroups(new ConsumerGroupDescribeRequestData().setGroupIds(List.of(group)))
                .join().groups().get(0);
    }

    /** A member as the client keeps it: its id, epoch, and the partitions it owns (and says it owns). */
    private final class Member {
        final String group;
        String id;
        int epoch;
        Set<AssignedPartition> assigned = Set.of();

        Member(String group) {
            this.group = group;
        }

        ConsumerGroupHeartbeatResponseData heartbeat() {
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = new ArrayList<>();
            assigned.stream().map(AssignedPartition::topicId).distinct().forEach(topic -> owned.add(
                    new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(topic).setPartitions(
                            assigned.stream().filter(p -> p.topicId().equals(topic))
                                    .map(AssignedPartition::partition).toList())));
            return answer(send(new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(id)
                    .setMemberEpoch(epoch).setTopicPartitions(owned)));
        }

        ConsumerGroupHeartbeatResponseData leave() {
            return send(new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(id).setMemberEpoch(-1));
        }

        ConsumerGroupHeartbeatResponseData answer(ConsumerGroupHeartbeatResponseData response) {
            if (response.errorCode() != 0) {
                return response;
            }
            id = response.memberId();
            epoch = response.memberEpoch();
            if (response.assignment() != null) {
                Set<AssignedPartition> partitions = new HashSet<>();
                response.assignment().topicPartitions().forEach(t -> t.partitions()
                        .forEach(p -> partitions.add(new AssignedPartition(t.topicId(), p))));
                assigned = partitions;
            }
            return response;
        }
    }
}
