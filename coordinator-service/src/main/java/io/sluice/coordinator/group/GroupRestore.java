package io.sluice.coordinator.group;

/**
 * Rebuilds a group from its persisted record: a group with members is stable in its last settled generation; an Empty
 * one keeps when it became empty, or if its record is older than that field counts as empty from now on. Members
 * under the consumer group protocol keep their epochs and partitions. Every member gets a fresh session.
 */
final class GroupRestore {

    private GroupRestore() {
    }

    static ConsumerGroup group(GroupStore.GroupRecord record, long now) {
        ConsumerGroup group = new ConsumerGroup(record.groupId());
        group.generation = record.generation();
        group.protocolType = record.protocolType();
        group.protocolName = record.protocolName();
        for (GroupStore.MemberRecord m : record.members()) {
            GroupMember member = new GroupMember(m.memberId(), m.groupInstanceId());
            member.clientId = m.clientId();
            member.clientHost = m.clientHost();
            member.sessionTimeoutMs = m.sessionTimeoutMs();
            member.rebalanceTimeoutMs = m.rebalanceTimeoutMs();
            member.protocols = m.protocols();
            member.assignment = m.assignment();
            member.heartbeat(now);
            group.add(member);
        }
        group.leaderId = record.leaderId();
        group.state = group.hasMembers() ? GroupState.STABLE : GroupState.EMPTY;
        group.emptySince = record.emptySince() == null ? now : record.emptySince();
        if (record.consumerProtocol() != null) {
            group.consumerProtocol = ConsumerProtocolGroup.restore(record.consumerProtocol(), now);
        }
        return group;
    }
}
