package io.sluice.coordinator.group;

import java.util.List;
import java.util.Set;

import com.google.re2j.Pattern;

/**
 * A member of a group under the consumer group protocol (KIP-848): what it subscribes to, the epoch it is at, the
 * partitions it holds and those it was asked to give back. Only the group thread touches it.
 */
final class ConsumerProtocolMember {

    /** Where a member is on its way to its target assignment, as Kafka's coordinator names it. */
    enum Reconciliation {
        /** At the group's assignment epoch with all of its target. */
        STABLE,
        /** Must give back partitions no longer its own before it moves to the new epoch. */
        UNREVOKED_PARTITIONS,
        /** At the new epoch, waiting for partitions other members have not given back yet. */
        UNRELEASED_PARTITIONS
    }

    final String memberId;
    final String clientId;
    final String clientHost;
    String instanceId;
    String rackId;
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    /** The regular expression as the client sent it, and compiled; null when none. */
    String subscribedTopicRegex;
    Pattern subscribedPattern;
    String serverAssignor;

    int memberEpoch;
    int previousMemberEpoch = -1;
    Reconciliation reconciliation = Reconciliation.STABLE;
    Set<AssignedPartition> assigned = Set.of();
    Set<AssignedPartition> revoking = Set.of();
    /** When its revocation must be done by, or it is removed (Kafka's rebalance timeout). */
    long revokeBy;
    long lastHeartbeat;
    /** A static member that said it will be back (epoch -2): it keeps its partitions until its session ends. */
    boolean away;

    ConsumerProtocolMember(String memberId, String clientId, String clientHost) {
        this.memberId = memberId;
        this.clientId = clientId;
        this.clientHost = clientHost;
    }

    GroupStore.ConsumerMemberRecord toRecord() {
        return new GroupStore.ConsumerMemberRecord(memberId, instanceId, rackId, clientId, clientHost,
                rebalanceTimeoutMs, subscribedTopicNames, subscribedTopicRegex, serverAssignor, memberEpoch,
                previousMemberEpoch, reconciliation.name(), ConsumerProtocolGroup.stored(assigned),
                ConsumerProtocolGroup.stored(revoking), away);
    }

    /** A member as stored, with a fresh session (and revocation deadline). */
    static ConsumerProtocolMember restore(GroupStore.ConsumerMemberRecord record, long now) {
        ConsumerProtocolMember member = new ConsumerProtocolMember(record.memberId(), record.clientId(),
                record.clientHost());
        member.instanceId = record.instanceId();
        member.rackId = record.rackId();
        member.rebalanceTimeoutMs = record.rebalanceTimeoutMs();
        member.subscribedTopicNames = record.subscribedTopicNames();
        member.subscribedTopicRegex = record.subscribedTopicRegex();
        member.subscribedPattern = record.subscribedTopicRegex() == null ? null
                : Pattern.compile(record.subscribedTopicRegex());
        member.serverAssignor = record.serverAssignor();
        member.memberEpoch = record.memberEpoch();
        member.previousMemberEpoch = record.previousMemberEpoch();
        member.reconciliation = Reconciliation.valueOf(record.reconciliation());
        member.assigned = ConsumerProtocolGroup.partitions(record.assigned());
        member.revoking = ConsumerProtocolGroup.partitions(record.revoking());
        member.away = record.away();
        member.lastHeartbeat = now;
        member.revokeBy = now + member.rebalanceTimeoutMs;
        return member;
    }
}
