package io.sluice.coordinator.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One consumer group: its committed offsets, and its members under either protocol: classic (state, generation,
 * chosen protocol, members), or the consumer group protocol (KIP-848) once a member joins by it. Only the group
 * coordinator's thread touches it.
 */
final class ConsumerGroup {

    private final String groupId;
    GroupState state = GroupState.EMPTY;
    int generation;
    String protocolType;
    String protocolName;
    String leaderId;
    /** Members in join order (the first one to join leads a group that lost its leader). */
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, not yet joined, with when they were handed out. */
    final Map<String, Long> pendingMembers = new HashMap<>();
    /** Members that got their JoinGroup answer and have not sent SyncGroup yet. */
    final Set<String> pendingSync = new HashSet<>();
    /** Bumped on every state change that makes a scheduled rebalance step stale. */
    long rebalanceRound;
    /** While the first rebalance of an empty group waits for more members to come. */
    boolean initialDelayRunning;
    /**
     * When the group last became Empty after having members (Kafka's current state timestamp of an Empty group): its
     * offsets' retention counts from then. 0 while it never had any: its offsets count from their commits.
     */
    long emptySince;
    /** Commits accepted and not yet stored: until they land, the group's offsets are not what it holds. */
    int commitsBeingStored;
    final Map<TopicPartitionKey, CommittedOffset> offsets = new TreeMap<>();
    /** Offsets committed inside open transactions, by producer id: visible once the transaction commits. */
    final Map<Long, Map<TopicPartitionKey, CommittedOffset>> pendingTransactional = new HashMap<>();
    /** Membership under the consumer group protocol; null while the group is classic. */
    ConsumerProtocolGroup consumerProtocol;

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    String groupId() {
        return groupId;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    Collection<GroupMember> members() {
        return members.values();
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    boolean hasConsumerProtocolMembers() {
        return consumerProtocol != null && !consumerProtocol.members.isEmpty();
    }

    /**
     * Whether anyone is in the group: a classic member, a member id handed out and not joined yet, or a member under
     * the consumer group protocol.
     */
    boolean occupied() {
        return hasMembers() || !pendingMembers.isEmpty() || hasConsumerProtocolMembers();
    }

    /** Kafka's group type: {@code consumer} under the consumer group protocol, else {@code classic}. */
    String type() {
        return consumerProtocol != null ? "consumer" : "classic";
    }

    /** Kafka's name of the group's state under its protocol. */
    String stateName() {
        return consumerProtocol != null ? consumerProtocol.state() : state.kafkaName();
    }

    Optional<GroupMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    Optional<String> staticMemberId(String groupInstanceId) {
        return Optional.ofNullable(staticMembers.get(groupInstanceId));
    }

    void add(GroupMember member) {
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        pendingMembers.remove(member.memberId());
    }

    void remove(String memberId) {
        GroupMember member = members.remove(memberId);
        pendingSync.remove(memberId);
        if (member != null && member.isStatic()) {
            staticMembers.remove(member.groupInstanceId());
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** A static member came back under a new member id: it keeps its place, assignment and leadership. */
    void replaceStaticMember(GroupMember member, String newMemberId) {
        String oldId = member.memberId();
        Map<String, GroupMember> reordered = new LinkedHashMap<>();
        members.forEach((id, m) -> reordered.put(id.equals(oldId) ? newMemberId : id, m));
        members.clear();
        members.putAll(reordered);
        member.replaceMemberId(newMemberId);
        staticMembers.put(member.groupInstanceId(), newMemberId);
        if (pendingSync.remove(oldId)) {
            pendingSync.add(newMemberId);
        }
        if (oldId.equals(leaderId)) {
            leaderId = newMemberId;
        }
    }

    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(GroupMember::awaitingJoin);
    }

    int rebalanceTimeoutMs() {
        return members.values().stream().mapToInt(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    /**
     * Whether a member joining with these protocols fits the group: the group's protocol type and a protocol every
     * other member supports.
     */
    boolean accepts(String type, List<MemberProtocol> protocols, String joiningMemberId) {
        if (type == null || type.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        List<GroupMember> others = members.values().stream().filter(m -> !m.memberId().equals(joiningMemberId))
                .toList();
        if (others.isEmpty()) {
            return true;
        }
        return type.equals(protocolType)
                && protocols.stream().anyMatch(p -> others.stream().allMatch(m -> m.supports(p.name())));
    }

    /** The protocol every member supports that the most members prefer (Kafka's vote). */
    String selectProtocol() {
        Map<String, Integer> votes = new LinkedHashMap<>();
        List<String> candidates = members.values().iterator().next().protocols.stream().map(MemberProtocol::name)
                .filter(name -> members.values().stream().allMatch(m -> m.supports(name))).toList();
        for (GroupMember member : members.values()) {
            member.protocols.stream().map(MemberProtocol::name).filter(candidates::contains).findFirst()
                    .ifPresent(choice -> votes.merge(choice, 1, Integer::sum));
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(candidates.get(0));
    }

    boolean hasPendingTransactionalOffset(TopicPartitionKey tp) {
        return pendingTransactional.values().stream().anyMatch(offsets -> offsets.containsKey(tp));
    }

    boolean subscribedTo(String topic) {
        return !members.isEmpty() && "consumer".equals(protocolType) && members.values().stream()
                .anyMatch(m -> Subscriptions.topics(m.metadata(protocolName)).contains(topic));
    }
}
