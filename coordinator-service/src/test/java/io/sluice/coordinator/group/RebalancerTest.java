package io.sluice.coordinator.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The classic group state machine step by step, on a real one-node state store, with time moved by hand. */
class RebalancerTest {

    private static final GroupSettings SETTINGS = new GroupSettings(6_000, 1_800_000, 0, 4096, 604_800_000, 600_000, 45_000,
            5_000, 1_000);
    private static StateStore stateStore;

    private final List<Runnable> timers = new ArrayList<>();
    private Rebalancer rebalancer;
    private ConsumerGroup group;
    private long now = 1_000_000;

    @BeforeAll
    static void startStore() throws IOException {
        stateStore = StateStores.alone("rebalancer-test");
    }

    @AfterAll
    static void stopStore() {
        stateStore.close();
    }

    @BeforeEach
    void newGroup() {
        rebalancer = new Rebalancer(SETTINGS, new GroupStore(stateStore, new ObjectMapper()),
                (delay, step) -> timers.add(step), Runnable::run, () -> now);
        group = new ConsumerGroup("g");
    }

    @Test
    void aNewMemberGetsItsIdFirstThenLeadsAStableGroup() {
        JoinGroupResponseData first = join("", (short) 9).join();
        assertThat(Errors.forCode(first.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        JoinGroupResponseData joined = join(first.memberId(), (short) 9).join();
        assertThat(joined.errorCode()).isZero();
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(first.memberId());
        assertThat(joined.members()).hasSize(1);
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(group.state).isEqualTo(GroupState.COMPLETING_REBALANCE);

        SyncGroupResponseData synced = sync(first.memberId(), 1, new byte[] { 7 }).join();
        assertThat(synced.errorCode()).isZero();
        assertThat(synced.assignment()).containsExactly(7);
        assertThat(group.state).isEqualTo(GroupState.STABLE);
    }

    @Test
    void aJoiningMemberMakesTheOthersRejoinAndBothGetTheNextGeneration() {
        String a = member();
        CompletableFuture<JoinGroupResponseData> b = join("", (short) 3);
        assertThat(group.state).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(heartbeat(a, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(b).isNotDone();
        CompletableFuture<JoinGroupResponseData> aAgain = join(a, (short) 3);
        assertThat(b.join().generationId()).isEqualTo(2);
        assertThat(aAgain.join().leader()).isEqualTo(a);
        assertThat(aAgain.join().members()).hasSize(2);
        assertThat(b.join().members()).isEmpty();
        assertThat(heartbeat(a, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(heartbeat(a, 2)).isEqualTo(Errors.NONE);
    }

    @Test
    void aMemberThatMissesTheRebalanceIsDroppedWhenTheTimeoutFires() {
        String a = member();
        CompletableFuture<JoinGroupResponseData> b = join("", (short) 3);
        runTimers();
        assertThat(b.join().errorCode()).isZero();
        assertThat(group.member(a)).isEmpty();
        assertThat(b.join().leader()).isEqualTo(b.join().memberId());
    }

    @Test
    void aSilentMemberIsRemovedAfterItsSessionTimeout() {
        String a = member();
        now += 5_000;
        rebalancer.expire(group, now);
        assertThat(group.member(a)).isPresent();
        now += 2_000;
        rebalancer.expire(group, now);
        assertThat(group.member(a)).isEmpty();
        assertThat(group.state).isEqualTo(GroupState.EMPTY);
        assertThat(heartbeat(a, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatNeverSyncsIsRemovedAndTheGroupRebalances() {
        String a = join(join("", (short) 9).join().memberId(), (short) 9).join().memberId();
        assertThat(group.state).isEqualTo(GroupState.COMPLETING_REBALANCE);
        runTimers();
        assertThat(group.member(a)).isEmpty();
        assertThat(group.state).isEqualTo(GroupState.EMPTY);
    }

    @Test
    void aStaticMemberBackWithANewIdKeepsTheGenerationAndFencesItsOldId() {
        String old = staticMember("instance-1");
        JoinGroupResponseData back = join("", (short) 9, "instance-1").join();
        assertThat(back.errorCode()).isZero();
        assertThat(back.generationId()).isEqualTo(1);
        assertThat(back.skipAssignment()).as("a static leader must not reassign a stable group").isTrue();
        assertThat(back.memberId()).isNotEqualTo(old);
        assertThat(group.state).isEqualTo(GroupState.STABLE);
        assertThat(heartbeat(old, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(join(old, (short) 5, "instance-1").join().errorCode()))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);
    }

    @Test
    void aMemberWithoutACommonProtocolIsRefused() {
        member();
        JoinGroupRequestData request = joinRequest("", null, "roundrobin");
        assertThat(Errors.forCode(rebalancer.join(group, request, (short) 5, "c", "h", now).join().errorCode()))
                .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void leavingEmptiesTheGroup() {
        String a = member();
        rebalancer.leave(group, new LeaveGroupRequestData().setGroupId("g").setMembers(List.of(
                new LeaveGroupRequestData.MemberIdentity().setMemberId(a))), (short) 5);
        assertThat(group.state).isEqualTo(GroupState.EMPTY);
        assertThat(group.generation).isEqualTo(2);
    }

    /** A stable single-member group; the member's id. */
    private String member() {
        String id = join("", (short) 3).join().memberId();
        sync(id, 1, new byte[0]).join();
        return id;
    }

    private String staticMember(String instanceId) {
        String id = join("", (short) 5, instanceId).join().memberId();
        sync(id, 1, new byte[0]).join();
        return id;
    }

    private CompletableFuture<JoinGroupResponseData> join(String memberId, short version) {
        return join(memberId, version, null);
    }

    private CompletableFuture<JoinGroupResponseData> join(String memberId, short version, String instanceId) {
        return rebalancer.join(group, joinRequest(memberId, instanceId, "range"), version, "client", "host", now);
    }

    private static JoinGroupRequestData joinRequest(String memberId, String instanceId, String protocol) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName(protocol).setMetadata(new byte[0]));
        return new JoinGroupRequestData().setGroupId("g").setMemberId(memberId).setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(6_000).setRebalanceTimeoutMs(10_000).setProtocolType("consumer")
                .setProtocols(protocols);
    }

    private CompletableFuture<SyncGroupResponseData> sync(String memberId, int generation, byte[] assignment) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId("g").setMemberId(memberId)
                .setGenerationId(generation);
        request.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId)
                .setAssignment(assignment));
        return rebalancer.sync(group, request, now);
    }

    private Errors heartbeat(String memberId, int generation) {
        return Errors.forCode(rebalancer.heartbeat(group, new HeartbeatRequestData().setGroupId("g")
                .setMemberId(memberId).setGenerationId(generation), now).errorCode());
    }

    private void runTimers() {
        List<Runnable> due = List.copyOf(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }
}
