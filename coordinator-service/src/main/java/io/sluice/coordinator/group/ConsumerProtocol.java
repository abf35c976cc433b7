package io.sluice.coordinator.group;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.coordinator.group.ConsumerProtocolGroup.Topics;
import io.sluice.coordinator.group.ConsumerProtocolMember.Reconciliation;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Kafka's consumer group protocol (KIP-848): ConsumerGroupHeartbeat joins, heartbeats, reconciles and leaves;
 * sessions end after the coordinator's session timeout and revocations after the member's rebalance timeout;
 * ConsumerGroupDescribe shows it all. A heartbeat that changes the membership (who is in, epochs, a member's
 * subscription or partitions) is answered once the group is in the coordinators' replicated state, so a coordinator
 * taking over knows every member at its epoch with its partitions. Runs on the group thread.
 */
final class ConsumerProtocol {

    private static final Logger LOG = Logger.getLogger(ConsumerProtocol.class);
    /** How often a heartbeat looks for topics created, deleted or grown when nothing else changed. */
    private static final long TOPICS_REFRESH_MS = 1000;
    /** No client needs more names than this; the request's own size bounds the rest. */
    private static final int MAX_SUBSCRIBED_TOPICS = 10_000;
    private static final int MAX_REGEX_LENGTH = 1000;

    private final GroupSettings settings;
    private final Topics topics;
    private final GroupStore store;

    ConsumerProtocol(GroupSettings settings, Topics topics, GroupStore store) {
        this.settings = settings;
        this.topics = topics;
        this.store = store;
    }

    /** Refuses what no group may get, before one is looked up; null to go on. */
    static ConsumerGroupHeartbeatResponseData invalid(ConsumerGroupHeartbeatRequestData request) {
        int epoch = request.memberEpoch();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return error(Errors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if (epoch < -2) {
            return error(Errors.INVALID_REQUEST, "MemberEpoch " + epoch + " is not valid.");
        }
        if (epoch != 0 && (request.memberId() == null || request.memberId().isEmpty())) {
            return error(Errors.INVALID_REQUEST, "MemberId can't be empty.");
        }
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                return error(Errors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                return error(Errors.INVALID_REQUEST,
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
            if (request.topicPartitions() != null && !request.topicPartitions().isEmpty()) {
                return error(Errors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
            }
        }
        if (request.rebalanceTimeoutMs() < -1) {
            return error(Errors.INVALID_REQUEST, "RebalanceTimeoutMs can't be negative.");
        }
        if (request.subscribedTopicNames() != null && request.subscribedTopicNames().size() > MAX_SUBSCRIBED_TOPICS) {
            return error(Errors.INVALID_REQUEST, "More than " + MAX_SUBSCRIBED_TOPICS + " subscribed topics.");
        }
        if (request.serverAssignor() != null && !ServerAssignors.known(request.serverAssignor())) {
            return error(Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + request.serverAssignor()
                    + " is not supported. Supported assignors: " + ServerAssignors.UNIFORM + ", "
                    + ServerAssignors.RANGE + ".");
        }
        String regex = request.subscribedTopicRegex();
        if (regex != null && !regex.isEmpty()) {
            if (regex.length() > MAX_REGEX_LENGTH) {
                return error(Errors.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex is longer than "
                        + MAX_REGEX_LENGTH + " characters.");
            }
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                return error(Errors.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex " + regex + " is not valid: "
                        + e.getDescription());
            }
        }
        return null;
    }

    /**
     * A valid request ({@link #invalid}) of a group that is not classic with members. A heartbeat that changed the
     * membership is answered once the group is stored.
     */
    CompletableFuture<ConsumerGroupHeartbeatResponseData> heartbeat(ConsumerGroup group,
            ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost, long now) {
        if (group.consumerProtocol == null) {
            group.consumerProtocol = new ConsumerProtocolGroup();
            group.protocolType = "consumer";
            group.protocolName = null;
        }
        Mark before = Mark.of(group.consumerProtocol, request.memberId());
        ConsumerGroupHeartbeatResponseData response = request.memberEpoch() < 0 ? leave(group, request, now)
                : beat(group, request, clientId, clientHost, now);
        if (response.errorCode() != Errors.NONE.code()
                || before.equals(Mark.of(group.consumerProtocol, response.memberId()))) {
            return CompletableFuture.completedFuture(response);
        }
        return store.saveGroup(group).handle((stored, failure) -> failure == null ? response
                : error(Errors.COORDINATOR_NOT_AVAILABLE, "The group's membership could not be stored: " + failure));
    }

    /**
     * What a heartbeat may change of what is stored: the epochs (a new target comes with a new assignment epoch), who
     * is in, and the member itself.
     */
    private record Mark(int groupEpoch, int assignmentEpoch, Set<String> memberIds,
            GroupStore.ConsumerMemberRecord member) {

        static Mark of(ConsumerProtocolGroup group, String memberId) {
            ConsumerProtocolMember member = memberId == null ? null : group.members.get(memberId);
            return new Mark(group.groupEpoch, group.assignmentEpoch, Set.copyOf(group.members.keySet()),
                    member == null ? null : member.toRecord());
        }
    }

    private ConsumerGroupHeartbeatResponseData beat(ConsumerGroup group, ConsumerGroupHeartbeatRequestData request,
            String clientId, String clientHost, long now) {
        ConsumerProtocolGroup members = group.consumerProtocol;
        int epoch = request.memberEpoch();
        boolean changed;
        ConsumerProtocolMember member;
        Set<AssignedPartition> before;
        if (epoch == 0) {
            String memberId = request.memberId() == null || request.memberId().isEmpty()
                    ? Uuid.randomUuid().toString()
                    : request.memberId();
            ConsumerProtocolMember away = null;
            if (request.instanceId() != null) {
                ConsumerProtocolMember other = members.withInstanceId(request.instanceId()).orElse(null);
                if (other != null && !other.away && !other.memberId.equals(memberId)) {
                    return error(Errors.UNRELEASED_INSTANCE_ID, "Static member " + request.instanceId()
                            + " of group " + group.groupId() + " is still in use by member " + other.memberId + ".");
                }
                away = other;
            }
            if (away == null && !members.members.containsKey(memberId)
                    && members.members.size() >= settings.consumerMaxSize()) {
                return error(Errors.GROUP_MAX_SIZE_REACHED, "Group " + group.groupId() + " has reached its maximum"
                        + " size of " + settings.consumerMaxSize() + " members.");
            }
            members.members.remove(memberId);
            member = new ConsumerProtocolMember(memberId, clientId, clientHost);
            if (away != null) {
                // a static member back in time takes its place again, with its epoch and partitions
                members.members.remove(away.memberId);
                member.memberEpoch = away.memberEpoch;
                member.previousMemberEpoch = away.previousMemberEpoch;
                member.assigned = away.assigned;
                member.revoking = away.revoking;
                members.target = renamed(members.target, away.memberId, memberId);
            }
            members.members.put(memberId, member);
            before = null;
            changed = true;
        } else {
            member = members.members.get(request.memberId());
            if (member == null) {
                return error(Errors.UNKNOWN_MEMBER_ID, "Member " + request.memberId() + " is not a member of group "
                        + group.groupId() + ".");
            }
            Set<AssignedPartition> owned = owned(request);
            if (epoch > member.memberEpoch || epoch < member.memberEpoch && (epoch != member.previousMemberEpoch
                    || owned == null || !member.assigned.containsAll(owned))) {
                return error(Errors.FENCED_MEMBER_EPOCH, "The member epoch " + epoch + " of " + member.memberId
                        + " is fenced: the group's is " + member.memberEpoch + ".");
            }
            before = member.assigned;
            changed = false;
        }
        changed |= update(member, request);
        member.lastHeartbeat = now;
        member.away = false;
        if (changed || now - members.topicsRefreshedAt >= TOPICS_REFRESH_MS) {
            members.refreshTopics(topics);
            members.topicsRefreshedAt = now;
        }
        members.assignIfBehind();
        members.reconcile(member, epoch == 0 ? Set.of() : owned(request), now);
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId)
                .setMemberEpoch(member.memberEpoch)
                .setHeartbeatIntervalMs(settings.consumerHeartbeatIntervalMs());
        boolean full = request.rebalanceTimeoutMs() != -1 && request.topicPartitions() != null
                && (request.subscribedTopicNames() != null || request.subscribedTopicRegex() != null);
        if (before == null || full || !before.equals(member.assigned)) {
            response.setAssignment(assignment(member.assigned));
        }
        return response;
    }

    /** The fields a heartbeat sends only when they change; whether the assignment depends on what changed. */
    private static boolean update(ConsumerProtocolMember member, ConsumerGroupHeartbeatRequestData request) {
        boolean changed = false;
        if (request.instanceId() != null) {
            member.instanceId = request.instanceId();
        }
        if (request.rackId() != null) {
            member.rackId = request.rackId();
        }
        if (request.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        if (request.subscribedTopicNames() != null) {
            List<String> names = List.copyOf(new TreeSet<>(request.subscribedTopicNames()));
            changed |= !names.equals(member.subscribedTopicNames);
            member.subscribedTopicNames = names;
        }
        if (request.subscribedTopicRegex() != null) {
            String regex = request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
            changed |= !Objects.equals(regex, member.subscribedTopicRegex);
            member.subscribedTopicRegex = regex;
            member.subscribedPattern = regex == null ? null : Pattern.compile(regex);
        }
        if (request.serverAssignor() != null) {
            changed |= !request.serverAssignor().equals(member.serverAssignor);
            member.serverAssignor = request.serverAssignor();
        }
        return changed;
    }

    /** Epoch -1 leaves for good; -2, a static member's, is away until its session ends and keeps its partitions. */
    private static ConsumerGroupHeartbeatResponseData leave(ConsumerGroup group,
            ConsumerGroupHeartbeatRequestData request, long now) {
        ConsumerProtocolGroup members = group.consumerProtocol;
        ConsumerProtocolMember member = members.members.get(request.memberId());
        if (member == null) {
            return error(Errors.UNKNOWN_MEMBER_ID, "Member " + request.memberId() + " is not a member of group "
                    + group.groupId() + ".");
        }
        if (request.memberEpoch() == -2 && member.instanceId != null) {
            member.away = true;
            member.lastHeartbeat = now;
        } else {
            removeMember(group, member.memberId, now, "left");
        }
        return new ConsumerGroupHeartbeatResponseData().setMemberId(member.memberId)
                .setMemberEpoch(request.memberEpoch());
    }

    /** Ends the sessions past the coordinator's session timeout and the revocations past their rebalance timeout. */
    void expire(ConsumerGroup group, long now) {
        ConsumerProtocolGroup members = group.consumerProtocol;
        if (members == null) {
            return;
        }
        boolean removed = false;
        for (ConsumerProtocolMember member : List.copyOf(members.members.values())) {
            if (now - member.lastHeartbeat > settings.consumerSessionTimeoutMs()) {
                removeMember(group, member.memberId, now, "session timed out");
                removed = true;
            } else if (member.reconciliation == Reconciliation.UNREVOKED_PARTITIONS && now > member.revokeBy) {
                removeMember(group, member.memberId, now, "did not revoke its partitions within its rebalance timeout");
                removed = true;
            }
        }
        if (removed) {
            store.saveGroup(group).exceptionally(e -> {
                LOG.warnf("group %s: its members' removal not stored: %s", group.groupId(), e.toString());
                return null;
            });
        }
    }

    /** Every member a fresh session, after a stall of the coordinator's own. */
    static void renewSessions(ConsumerGroup group, long now) {
        if (group.consumerProtocol != null) {
            group.consumerProtocol.members.values().forEach(m -> {
                m.lastHeartbeat = now;
                m.revokeBy = Math.max(m.revokeBy, now + m.rebalanceTimeoutMs);
            });
        }
    }

    private static void removeMember(ConsumerGroup group, String memberId, long now, String why) {
        LOG.infof("group %s: member %s removed: %s", group.groupId(), memberId, why);
        group.consumerProtocol.remove(memberId);
        if (group.consumerProtocol.members.isEmpty()) {
            group.emptySince = now;
        }
    }

    /** A commit's or fetch's member check against this protocol's members (Kafka's order). */
    static Errors validateCommit(ConsumerGroup group, int memberEpoch, String memberId) {
        ConsumerProtocolGroup members = group.consumerProtocol;
        if (memberEpoch < 0 && members.members.isEmpty()) {
            return Errors.NONE;
        }
        ConsumerProtocolMember member = members.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId, ConsumerGroup group) {
        ConsumerGroupDescribeResponseData.DescribedGroup described = new ConsumerGroupDescribeResponseData.DescribedGroup()
                .setGroupId(groupId);
        if (groupId.isEmpty()) {
            return described.setErrorCode(Errors.INVALID_GROUP_ID.code()).setErrorMessage("GroupId can't be empty.");
        }
        if (group == null || group.consumerProtocol == null) {
            return described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(group == null
                    ? "Group " + groupId + " not found."
                    : "Group " + groupId + " is not a consumer group.");
        }
        ConsumerProtocolGroup members = group.consumerProtocol;
        Map<Uuid, String> names = new HashMap<>();
        topics.names().get().forEach(name -> topics.byName().apply(name).ifPresent(t -> names.put(t.id(), name)));
        described.setGroupState(members.state())
                .setGroupEpoch(members.groupEpoch)
                .setAssignmentEpoch(members.assignmentEpoch)
                .setAssignorName(members.assignor);
        for (ConsumerProtocolMember m : members.members.values()) {
            described.members().add(new ConsumerGroupDescribeResponseData.Member()
                    .setMemberId(m.memberId)
                    .setInstanceId(m.instanceId)
                    .setRackId(m.rackId)
                    .setMemberEpoch(m.memberEpoch)
                    .setClientId(m.clientId)
                    .setClientHost(m.clientHost)
                    .setSubscribedTopicNames(m.subscribedTopicNames)
                    .setSubscribedTopicRegex(m.subscribedTopicRegex)
                    .setAssignment(described(m.assigned, names))
                    .setTargetAssignment(described(members.target.getOrDefault(m.memberId, Set.of()), names))
                    .setMemberType((byte) 1));
        }
        return described;
    }

    private static ConsumerGroupDescribeResponseData.Assignment described(Set<AssignedPartition> partitions,
            Map<Uuid, String> names) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        AssignedPartition.byTopic(partitions).forEach((topic, indexes) -> assignment.topicPartitions().add(
                new ConsumerGroupDescribeResponseData.TopicPartitions().setTopicId(topic)
                        .setTopicName(names.getOrDefault(topic, "")).setPartitions(indexes)));
        return assignment;
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment assignment(Set<AssignedPartition> partitions) {
        ConsumerGroupHeartbeatResponseData.Assignment assignment = new ConsumerGroupHeartbeatResponseData.Assignment();
        AssignedPartition.byTopic(partitions).forEach((topic, indexes) -> assignment.topicPartitions().add(
                new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(topic).setPartitions(indexes)));
        return assignment;
    }

    /** What the member says it holds; null when it did not say. */
    private static Set<AssignedPartition> owned(ConsumerGroupHeartbeatRequestData request) {
        if (request.topicPartitions() == null) {
            return null;
        }
        Set<AssignedPartition> owned = new TreeSet<>();
        request.topicPartitions().forEach(t -> t.partitions()
                .forEach(p -> owned.add(new AssignedPartition(t.topicId(), p))));
        return owned;
    }

    private static Map<String, Set<AssignedPartition>> renamed(Map<String, Set<AssignedPartition>> target,
            String from, String to) {
        Map<String, Set<AssignedPartition>> copy = new TreeMap<>(target);
        Set<AssignedPartition> partitions = copy.remove(from);
        if (partitions != null) {
            copy.put(to, partitions);
        }
        return copy;
    }

    private static ConsumerGroupHeartbeatResponseData error(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()).setErrorMessage(message);
    }
}
