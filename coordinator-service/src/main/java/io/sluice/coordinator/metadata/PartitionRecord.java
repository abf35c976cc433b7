package io.sluice.coordinator.metadata;

import java.util.List;

/** One partition's leadership: its leader (-1 for none), the epoch of that leadership, its assigned replicas. */
public record PartitionRecord(int partition, int leader, int leaderEpoch, List<Integer> replicas) {

    public PartitionRecord withLeader(int newLeader) {
        return new PartitionRecord(partition, newLeader, leaderEpoch + 1, replicas);
    }

    /** The same leadership over other replicas. */
    public PartitionRecord withReplicas(List<Integer> newReplicas) {
        return new PartitionRecord(partition, leader, leaderEpoch, newReplicas);
    }
}
