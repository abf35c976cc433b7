package io.sluice.coordinator.group;

import java.util.List;
import java.util.Map;

/**
 * Kafka's {@code offsets.retention.minutes} as KIP-211 counts it, for a group nobody is in: the offsets of a group
 * that had members expire once it has been Empty for the retention, those committed outside group management
 * (assign() and Admin, in a group that never had members) once the retention has passed since their commit. An offset
 * committed while the group was already Empty counts from its commit, so an offset reset on a group long empty is
 * not dropped at the next check (Kafka counts it from when the group became empty). Offsets an open transaction is
 * about to replace stay.
 */
final class OffsetRetention {

    private final long retentionMs;

    OffsetRetention(long retentionMs) {
        this.retentionMs = retentionMs;
    }

    /** The offsets of {@code group}, an Empty group, that have expired by {@code now}. */
    List<TopicPartitionKey> expired(ConsumerGroup group, long now) {
        return group.offsets.entrySet().stream()
                .filter(e -> now - Math.max(group.emptySince, e.getValue().commitTimestamp()) >= retentionMs)
                .map(Map.Entry::getKey)
                .filter(tp -> !group.hasPendingTransactionalOffset(tp))
                .toList();
    }
}
