package io.sluice.coordinator.group;

/** A committed position of one partition for one group, as OffsetCommit stored it. */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
}
