package io.sluice.coordinator.group;

import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.Errors;

/** DescribeGroups answers: an unknown group is described as Dead, as Kafka does. */
final class GroupDescriptions {

    private GroupDescriptions() {
    }

    static DescribedGroup describe(String groupId, ConsumerGroup group) {
        if (groupId.isEmpty()) {
            return refused(groupId, Errors.INVALID_GROUP_ID);
        }
        DescribedGroup described = new DescribedGroup().setGroupId(groupId).setProtocolType("").setProtocolData("");
        if (group == null) {
            return described.setGroupState(GroupState.DEAD.kafkaName());
        }
        described.setGroupState(group.state.kafkaName())
                .setProtocolType(group.protocolType == null ? "" : group.protocolType)
                .setProtocolData(group.protocolName == null ? "" : group.protocolName);
        for (GroupMember m : group.members()) {
            described.members().add(new DescribedGroupMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setClientId(m.clientId == null ? "" : m.clientId)
                    .setClientHost(m.clientHost == null ? "" : m.clientHost)
                    .setMemberMetadata(group.protocolName == null ? new byte[0] : m.metadata(group.protocolName))
                    .setMemberAssignment(m.assignment));
        }
        return described;
    }

    /** A group not described, with the error that says why. */
    static DescribedGroup refused(String groupId, Errors error) {
        return new DescribedGroup().setGroupId(groupId).setProtocolType("").setProtocolData("")
                .setErrorCode(error.code()).setGroupState(GroupState.DEAD.kafkaName());
    }
}
