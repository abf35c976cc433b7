package io.sluice.coordinator.group;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;

import io.sluice.coordinator.group.ConsumerInstance.Partition;

/** DescribeGroups answers: an unknown group is described as Dead, as Kafka does. */
final class GroupDescriptions {

    /** Kafka consumers' protocol type, which HTTP consumer instances are described with. */
    static final String CONSUMER_PROTOCOL_TYPE = "consumer";
    private static final String INSTANCE_ASSIGNOR = "range";

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

    /**
     * A group read by subscribed HTTP consumer instances and no Kafka member: Stable, of protocol type consumer with
     * the range assignor (how instances share partitions), one member per instance named by it, with its subscription
     * and its partitions encoded as a Kafka consumer's, so {@code kafka-consumer-groups --describe} shows who reads
     * what.
     */
    static DescribedGroup describe(String groupId, List<ConsumerInstances.Member> instances) {
        DescribedGroup described = new DescribedGroup().setGroupId(groupId).setGroupState(GroupState.STABLE.kafkaName())
                .setProtocolType(CONSUMER_PROTOCOL_TYPE).setProtocolData(INSTANCE_ASSIGNOR);
        for (ConsumerInstances.Member member : instances) {
            described.members().add(new DescribedGroupMember()
                    .setMemberId(member.instance().name())
                    .setClientId(member.instance().name())
                    .setClientHost(member.instance().clientHost() == null ? "" : member.instance().clientHost())
                    .setMemberMetadata(MessageUtil.toVersionPrefixedBytes((short) 0,
                            new ConsumerProtocolSubscription().setTopics(member.topics())))
                    .setMemberAssignment(MessageUtil.toVersionPrefixedBytes((short) 0, assignment(member))));
        }
        return described;
    }

    private static ConsumerProtocolAssignment assignment(ConsumerInstances.Member member) {
        Map<String, List<Integer>> byTopic = member.partitions().stream().collect(Collectors.groupingBy(
                Partition::topic, TreeMap::new, Collectors.mapping(Partition::partition, Collectors.toList())));
        ConsumerProtocolAssignment assignment = new ConsumerProtocolAssignment();
        byTopic.forEach((topic, partitions) -> assignment.assignedPartitions()
                .add(new ConsumerProtocolAssignment.TopicPartition().setTopic(topic).setPartitions(partitions)));
        return assignment;
    }

    /** A group not described, with the error that says why. */
    static DescribedGroup refused(String groupId, Errors error) {
        return new DescribedGroup().setGroupId(groupId).setProtocolType("").setProtocolData("")
                .setErrorCode(error.code()).setGroupState(GroupState.DEAD.kafkaName());
    }
}
