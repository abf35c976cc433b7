package io.sluice.gateway.http;

import java.util.List;

/** The bodies of the {@code /groups} paths. */
final class GroupBodies {

    private GroupBodies() {
    }

    /** A group as a listing shows it. */
    record Listed(String group, String state, String protocolType) {
    }

    /** Every group the coordinator knows. */
    record Groups(List<Listed> groups) {
    }

    /** A group described: its state, protocol, and members with their assignments. */
    record Group(String group, String state, String protocolType, String protocol, List<Member> members) {
    }

    /** A member and the partitions assigned to it (consumer groups only). */
    record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
            List<Assignment> assignments) {
    }

    /** Some partitions of one topic. */
    record Assignment(String topic, List<Integer> partitions) {
    }

    /** A group's lag on every partition it committed an offset on or is assigned. */
    record Lag(String group, String state, List<PartitionLag> partitions) {
    }

    /** One partition's committed offset (null: none), log end, and how far behind the group is (null: unknown). */
    record PartitionLag(String topic, int partition, Long committedOffset, Long logEndOffset, Long lag) {
    }

    /**
     * {@code POST /groups/{g}/offsets/reset}: {@code to} earliest, latest, offset (with {@code offset}) or timestamp
     * (with {@code timestamp}, ISO-8601), for a topic's partitions (all when {@code partitions} is left out).
     */
    record Reset(String topic, List<Integer> partitions, String to, Long offset, String timestamp) {
    }

    /** The committed offsets a reset set. */
    record ResetDone(String group, List<Moved> offsets) {
    }

    /** One partition's committed offset before (null: none) and after a reset. */
    record Moved(String topic, int partition, Long previousOffset, long offset) {
    }
}
