package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

/**
 * Kafka's classic group membership protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup, the rebalance they drive
 * (PreparingRebalance until every member has rejoined or the rebalance timeout passed, CompletingRebalance until the
 * leader's assignment arrives, then Stable), session timeouts and members that never sync. Runs on the group thread.
 */
final class Rebalancer {

    private static final Logger LOG = Logger.getLogger(Rebalancer.class);
    private static final byte[] NOTHING = new byte[0];

    /** Runs a step later on the group thread. */
    interface Timer {
        void schedule(long delayMs, Runnable step);
    }

    private final GroupSettings settings;
    private final GroupStore store;
    private final Timer timer;
    private final Executor groupThread;
    private final LongSupplier clock;

    Rebalancer(GroupSettings settings, GroupStore store, Timer timer, Executor groupThread, LongSupplier clock) {
        this.settings = settings;
        this.store = store;
        this.timer = timer;
        this.groupThread = groupThread;
        this.clock = clock;
    }

    // ---- JoinGroup

    /** Validates the request before a group exists for it; an error, or null to go on. */
    Errors validateJoin(JoinGroupRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            return Errors.INVALID_SESSION_TIMEOUT;
        }
        return null;
    }

    CompletableFuture<JoinGroupResponseData> join(ConsumerGroup group, JoinGroupRequestData request, short version,
            String clientId, String clientHost, long now) {
        List<MemberProtocol> protocols = new ArrayList<>();
        request.protocols().forEach(p -> protocols.add(new MemberProtocol(p.name(), p.metadata())));
        String memberId = request.memberId() == null ? "" : request.memberId();
        if (!group.accepts(request.protocolType(), protocols, memberId)) {
            return joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId);
        }
        if (!group.hasMembers()) {
            group.protocolType = request.protocolType();
        }
        JoinRequest join = new JoinRequest(request, version, protocols, clientId, clientHost, now);
        return memberId.isEmpty() ? joinAsNew(group, join) : joinAsKnown(group, memberId, join);
    }

    private record JoinRequest(JoinGroupRequestData data, short version, List<MemberProtocol> protocols,
            String clientId, String clientHost, long now) {

        int rebalanceTimeoutMs() {
            return version == 0 ? data.sessionTimeoutMs() : data.rebalanceTimeoutMs();
        }
    }

    private CompletableFuture<JoinGroupResponseData> joinAsNew(ConsumerGroup group, JoinRequest join) {
        String instanceId = join.data().groupInstanceId();
        if (instanceId != null) {
            Optional<GroupMember> existing = group.staticMemberId(instanceId).flatMap(group::member);
            if (existing.isPresent()) {
                return rejoinStatic(group, existing.get(), join);
            }
            GroupMember member = new GroupMember(instanceId + "-" + Uuid.randomUuid(), instanceId);
            update(member, join);
            group.add(member);
            return parkAndRebalance(group, member, join, "static member " + instanceId + " joined");
        }
        String memberId = join.clientId() + "-" + Uuid.randomUuid();
        if (join.version() >= 4) {
            // The client must come back with this id; only then does it count as a member.
            group.pendingMembers.put(memberId, join.now());
            return joinError(Errors.MEMBER_ID_REQUIRED, memberId);
        }
        GroupMember member = new GroupMember(memberId, null);
        update(member, join);
        group.add(member);
        return parkAndRebalance(group, member, join, "member " + memberId + " joined");
    }

    /** A static member back under a new member id: the old incarnation is fenced, and a stable group stays so. */
    private CompletableFuture<JoinGroupResponseData> rejoinStatic(ConsumerGroup group, GroupMember member,
            JoinRequest join) {
        String oldId = member.memberId();
        if (member.awaitingJoin != null) {
            member.awaitingJoin.complete(error(Errors.FENCED_INSTANCE_ID, oldId));
            member.awaitingJoin = null;
        }
        if (member.awaitingSync != null) {
            member.awaitingSync.complete(syncError(Errors.FENCED_INSTANCE_ID));
            member.awaitingSync = null;
        }
        boolean sameProtocols = member.protocols.equals(join.protocols());
        group.replaceStaticMember(member, member.groupInstanceId() + "-" + Uuid.randomUuid());
        update(member, join);
        boolean leader = member.memberId().equals(group.leaderId);
        if (group.is(GroupState.STABLE) && sameProtocols && (!leader || join.version() >= 9)) {
            LOG.infof("group %s: static member %s is back as %s, no rebalance", group.groupId(),
                    member.groupInstanceId(), member.memberId());
            store.saveGroup(group);
            return CompletableFuture.completedFuture(joinAnswer(group, member, join.version(), leader));
        }
        return parkAndRebalance(group, member, join, "static member " + member.groupInstanceId() + " rejoined");
    }

    private CompletableFuture<JoinGroupResponseData> joinAsKnown(ConsumerGroup group, String memberId,
            JoinRequest join) {
        String instanceId = join.data().groupInstanceId();
        if (group.pendingMembers.containsKey(memberId)) {
            GroupMember member = new GroupMember(memberId, instanceId);
            update(member, join);
            group.add(member);
            return parkAndRebalance(group, member, join, "member " + memberId + " joined");
        }
        if (fenced(group, instanceId, memberId)) {
            return joinError(Errors.FENCED_INSTANCE_ID, memberId);
        }
        Optional<GroupMember> found = group.member(memberId);
        if (found.isEmpty() || group.is(GroupState.EMPTY) || group.is(GroupState.DEAD)) {
            return joinError(Errors.UNKNOWN_MEMBER_ID, memberId);
        }
        GroupMember member = found.get();
        boolean sameProtocols = member.protocols.equals(join.protocols());
        switch (group.state) {
            case PREPARING_REBALANCE -> {
                update(member, join);
                return park(group, member, join.version(), () -> tryCompleteJoin(group));
            }
            case COMPLETING_REBALANCE -> {
                if (sameProtocols) {
                    // it lost the answer it was sent: send it again
                    member.heartbeat(join.now());
                    return CompletableFuture.completedFuture(joinAnswer(group, member, join.version(),
                            memberId.equals(group.leaderId)));
                }
            }
            case STABLE -> {
                if (sameProtocols && !memberId.equals(group.leaderId)) {
                    member.heartbeat(join.now());
                    return CompletableFuture.completedFuture(joinAnswer(group, member, join.version(), false));
                }
            }
            default -> {
            }
        }
        update(member, join);
        return parkAndRebalance(group, member, join, "member " + memberId + " rejoined");
    }

    private static void update(GroupMember member, JoinRequest join) {
        member.clientId = join.clientId();
        member.clientHost = join.clientHost();
        member.sessionTimeoutMs = join.data().sessionTimeoutMs();
        member.rebalanceTimeoutMs = join.rebalanceTimeoutMs();
        member.protocols = List.copyOf(join.protocols());
        member.heartbeat(join.now());
    }

    private CompletableFuture<JoinGroupResponseData> parkAndRebalance(ConsumerGroup group, GroupMember member,
            JoinRequest join, String reason) {
        return park(group, member, join.version(), () -> {
            if (group.is(GroupState.PREPARING_REBALANCE)) {
                tryCompleteJoin(group);
            } else {
                prepareRebalance(group, reason);
            }
        });
    }

    private static CompletableFuture<JoinGroupResponseData> park(ConsumerGroup group, GroupMember member,
            short version, Runnable then) {
        CompletableFuture<JoinGroupResponseData> answer = new CompletableFuture<>();
        if (member.awaitingJoin != null) {
            CompletableFuture<JoinGroupResponseData> earlier = member.awaitingJoin;
            answer.whenComplete((a, e) -> earlier.complete(a));
        }
        member.awaitingJoin = answer;
        member.joinVersion = version;
        then.run();
        return answer;
    }

    /** Starts a rebalance: every member must rejoin within the rebalance timeout. */
    void prepareRebalance(ConsumerGroup group, String reason) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            for (GroupMember m : group.members()) {
                if (m.awaitingSync != null) {
                    m.awaitingSync.complete(syncError(Errors.REBALANCE_IN_PROGRESS));
                    m.awaitingSync = null;
                }
            }
        }
        boolean firstOfEmptyGroup = group.is(GroupState.EMPTY);
        group.state = GroupState.PREPARING_REBALANCE;
        group.pendingSync.clear();
        long round = ++group.rebalanceRound;
        int timeoutMs = group.rebalanceTimeoutMs();
        LOG.infof("group %s rebalancing after generation %d: %s", group.groupId(), group.generation, reason);
        if (firstOfEmptyGroup && settings.initialRebalanceDelayMs() > 0) {
            // Kafka's group.initial.rebalance.delay.ms: let the other members of a starting group come too.
            group.initialDelayRunning = true;
            timer.schedule(Math.min(settings.initialRebalanceDelayMs(), timeoutMs), () -> {
                if (group.rebalanceRound == round) {
                    group.initialDelayRunning = false;
                    tryCompleteJoin(group);
                }
            });
        }
        timer.schedule(timeoutMs, () -> {
            if (group.rebalanceRound == round && group.is(GroupState.PREPARING_REBALANCE)) {
                completeJoin(group);
            }
        });
        tryCompleteJoin(group);
    }

    private void tryCompleteJoin(ConsumerGroup group) {
        if (group.is(GroupState.PREPARING_REBALANCE) && !group.initialDelayRunning && group.allMembersJoined()) {
            completeJoin(group);
        }
    }

    /** Ends the join phase: a new generation, its protocol and leader, and every waiting member answered. */
    private void completeJoin(ConsumerGroup group) {
        long round = ++group.rebalanceRound;
        group.initialDelayRunning = false;
        for (GroupMember m : List.copyOf(group.members())) {
            // dynamic members that did not rejoin are out; a static one keeps its place until its session expires
            if (!m.awaitingJoin() && !m.isStatic()) {
                group.remove(m.memberId());
            }
        }
        group.pendingMembers.clear();
        group.generation++;
        if (!group.hasMembers()) {
            group.state = GroupState.EMPTY;
            group.emptySince = clock.getAsLong();
            group.protocolName = null;
            group.leaderId = null;
            LOG.infof("group %s is empty at generation %d", group.groupId(), group.generation);
            store.saveGroup(group);
            return;
        }
        GroupMember first = group.members().iterator().next();
        group.protocolName = group.selectProtocol();
        boolean leaderRejoined = group.leaderId != null
                && group.member(group.leaderId).map(GroupMember::awaitingJoin).orElse(false);
        if (!leaderRejoined) {
            group.leaderId = group.members().stream().filter(GroupMember::awaitingJoin).findFirst()
                    .orElse(first).memberId();
        }
        group.state = GroupState.COMPLETING_REBALANCE;
        group.pendingSync.clear();
        long now = clock.getAsLong();
        for (GroupMember m : group.members()) {
            group.pendingSync.add(m.memberId());
            m.heartbeat(now);
            if (m.awaitingJoin != null) {
                CompletableFuture<JoinGroupResponseData> answer = m.awaitingJoin;
                m.awaitingJoin = null;
                answer.complete(joinAnswer(group, m, m.joinVersion, m.memberId().equals(group.leaderId)));
            }
        }
        LOG.infof("group %s generation %d: %d members, protocol %s, leader %s", group.groupId(), group.generation,
                group.members().size(), group.protocolName, group.leaderId);
        timer.schedule(group.rebalanceTimeoutMs(), () -> {
            if (group.rebalanceRound == round && !group.pendingSync.isEmpty()
                    && (group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))) {
                List<String> silent = List.copyOf(group.pendingSync);
                silent.forEach(id -> removeMember(group, id, Errors.UNKNOWN_MEMBER_ID));
                prepareRebalance(group, "members " + silent + " never sent SyncGroup");
            }
        });
    }

    private static JoinGroupResponseData joinAnswer(ConsumerGroup group, GroupMember member, short version,
            boolean leader) {
        JoinGroupResponseData answer = new JoinGroupResponseData()
                .setGenerationId(group.generation)
                .setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName)
                .setLeader(group.leaderId)
                .setMemberId(member.memberId());
        if (leader) {
            for (GroupMember m : group.members()) {
                answer.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
                        .setMemberId(m.memberId())
                        .setGroupInstanceId(m.groupInstanceId())
                        .setMetadata(m.metadata(group.protocolName)));
            }
            // a static leader back in a stable group learns the members but must not reassign
            answer.setSkipAssignment(version >= 9 && group.is(GroupState.STABLE));
        }
        return answer;
    }

    // ---- SyncGroup

    CompletableFuture<SyncGroupResponseData> sync(ConsumerGroup group, SyncGroupRequestData request, long now) {
        if (group == null) {
            return syncFailed(Errors.UNKNOWN_MEMBER_ID);
        }
        if (fenced(group, request.groupInstanceId(), request.memberId())) {
            return syncFailed(Errors.FENCED_INSTANCE_ID);
        }
        Optional<GroupMember> found = group.member(request.memberId());
        if (found.isEmpty() || group.is(GroupState.EMPTY)) {
            return syncFailed(Errors.UNKNOWN_MEMBER_ID);
        }
        if (request.generationId() != group.generation) {
            return syncFailed(Errors.ILLEGAL_GENERATION);
        }
        if ((request.protocolType() != null && !request.protocolType().equals(group.protocolType))
                || (request.protocolName() != null && !request.protocolName().equals(group.protocolName))) {
            return syncFailed(Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        GroupMember member = found.get();
        member.heartbeat(now);
        switch (group.state) {
            case PREPARING_REBALANCE -> {
                return syncFailed(Errors.REBALANCE_IN_PROGRESS);
            }
            case STABLE -> {
                group.pendingSync.remove(member.memberId());
                return CompletableFuture.completedFuture(syncAnswer(group, member));
            }
            default -> {
            }
        }
        group.pendingSync.remove(member.memberId());
        CompletableFuture<SyncGroupResponseData> answer = new CompletableFuture<>();
        if (member.awaitingSync != null) {
            member.awaitingSync.complete(syncError(Errors.REBALANCE_IN_PROGRESS));
        }
        member.awaitingSync = answer;
        if (member.memberId().equals(group.leaderId)) {
            Map<String, byte[]> assignments = new HashMap<>();
            request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
            for (GroupMember m : group.members()) {
                m.assignment = assignments.getOrDefault(m.memberId(), NOTHING);
            }
            long round = group.rebalanceRound;
            store.saveGroup(group).whenCompleteAsync((v, e) -> {
                if (e != null) {
                    LOG.warnf("group %s: generation %d not persisted: %s", group.groupId(), group.generation,
                            e.getMessage());
                }
                if (group.rebalanceRound == round && group.is(GroupState.COMPLETING_REBALANCE)) {
                    group.state = GroupState.STABLE;
                    for (GroupMember m : group.members()) {
                        if (m.awaitingSync != null) {
                            m.awaitingSync.complete(syncAnswer(group, m));
                            m.awaitingSync = null;
                        }
                    }
                }
            }, groupThread);
        }
        return answer;
    }

    private static SyncGroupResponseData syncAnswer(ConsumerGroup group, GroupMember member) {
        return new SyncGroupResponseData()
                .setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName)
                .setAssignment(member.assignment);
    }

    // ---- Heartbeat

    HeartbeatResponseData heartbeat(ConsumerGroup group, HeartbeatRequestData request, long now) {
        return new HeartbeatResponseData().setErrorCode(heartbeatError(group, request, now).code());
    }

    private static Errors heartbeatError(ConsumerGroup group, HeartbeatRequestData request, long now) {
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (fenced(group, request.groupInstanceId(), request.memberId())) {
            return Errors.FENCED_INSTANCE_ID;
        }
        Optional<GroupMember> member = group.member(request.memberId());
        if (member.isEmpty() || group.is(GroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (request.generationId() != group.generation) {
            return Errors.ILLEGAL_GENERATION;
        }
        member.get().heartbeat(now);
        return group.is(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    // ---- LeaveGroup

    LeaveGroupResponseData leave(ConsumerGroup group, LeaveGroupRequestData request, short version) {
        List<LeaveGroupRequestData.MemberIdentity> leaving = version < 3
                ? List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId()))
                : request.members();
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        List<String> left = new ArrayList<>();
        for (LeaveGroupRequestData.MemberIdentity identity : leaving) {
            Errors error = group == null ? Errors.UNKNOWN_MEMBER_ID : leaveOne(group, identity, left);
            response.members().add(new LeaveGroupResponseData.MemberResponse()
                    .setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId())
                    .setErrorCode(error.code()));
        }
        if (version < 3) {
            response.setErrorCode(response.members().get(0).errorCode());
            response.members().clear();
        }
        if (!left.isEmpty()) {
            membersGone(group, "members " + left + " left");
        }
        return response;
    }

    private Errors leaveOne(ConsumerGroup group, LeaveGroupRequestData.MemberIdentity identity, List<String> left) {
        String memberId = identity.memberId();
        if (identity.groupInstanceId() != null) {
            Optional<String> current = group.staticMemberId(identity.groupInstanceId());
            if (current.isEmpty()) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !memberId.equals(current.get())) {
                return Errors.FENCED_INSTANCE_ID;
            }
            memberId = current.get();
        }
        if (group.pendingMembers.remove(memberId) != null) {
            return Errors.NONE;
        }
        if (group.member(memberId).isEmpty()) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        removeMember(group, memberId, Errors.UNKNOWN_MEMBER_ID);
        left.add(memberId);
        return Errors.NONE;
    }

    // ---- timeouts

    /** Removes members silent past their session timeout, and member ids handed out but never used. */
    void expire(ConsumerGroup group, long now) {
        group.pendingMembers.values().removeIf(since -> now - since > settings.maxSessionTimeoutMs());
        List<String> expired = group.members().stream().filter(m -> m.expired(now)).map(GroupMember::memberId)
                .toList();
        if (expired.isEmpty()) {
            if (group.is(GroupState.PREPARING_REBALANCE)) {
                tryCompleteJoin(group);
            }
            return;
        }
        expired.forEach(id -> removeMember(group, id, Errors.UNKNOWN_MEMBER_ID));
        membersGone(group, "members " + expired + " missed their session timeout");
    }

    /** Every member, and every member id handed out, starts a fresh session at {@code now}. */
    void renewSessions(ConsumerGroup group, long now) {
        group.members().forEach(m -> m.heartbeat(now));
        group.pendingMembers.replaceAll((id, since) -> now);
    }

    private static void removeMember(ConsumerGroup group, String memberId, Errors toWaiter) {
        group.member(memberId).ifPresent(m -> {
            if (m.awaitingJoin != null) {
                m.awaitingJoin.complete(error(toWaiter, memberId));
                m.awaitingJoin = null;
            }
            if (m.awaitingSync != null) {
                m.awaitingSync.complete(syncError(toWaiter));
                m.awaitingSync = null;
            }
        });
        group.remove(memberId);
    }

    private void membersGone(ConsumerGroup group, String reason) {
        switch (group.state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, reason);
            case PREPARING_REBALANCE -> tryCompleteJoin(group);
            default -> {
            }
        }
    }

    // ---- answers

    private static boolean fenced(ConsumerGroup group, String instanceId, String memberId) {
        return instanceId != null && group.staticMemberId(instanceId).map(id -> !id.equals(memberId)).orElse(false);
    }

    private static JoinGroupResponseData error(Errors error, String memberId) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setMemberId(Objects.requireNonNullElse(
                memberId, ""));
    }

    static CompletableFuture<JoinGroupResponseData> joinError(Errors error, String memberId) {
        return CompletableFuture.completedFuture(error(error, memberId));
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(NOTHING);
    }

    private static CompletableFuture<SyncGroupResponseData> syncFailed(Errors error) {
        return CompletableFuture.completedFuture(syncError(error));
    }
}
