package io.sluice.coordinator.controller;

import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.metadata.PartitionRecord;

/**
 * A partition leader's word on where the partition's data lives: the brokers whose stores own it, primary owner
 * first, as the leader's store saw them at its leadership epoch.
 */
public record OwnerReport(Uuid topicId, int partition, int leaderEpoch, List<Integer> owners) {

    /** What came of a report: the partition as it now is (null when unknown), and why it was refused, if it was. */
    public record Outcome(Errors error, PartitionRecord partition) {
    }
}
