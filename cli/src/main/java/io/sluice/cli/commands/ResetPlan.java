package io.sluice.cli.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The committed offsets a reset sets, next to the current ones, in topic and partition order. */
record ResetPlan(List<Move> moves) {

    /** One partition's committed offset, now (none if never committed) and after the reset. */
    record Move(TopicPartition partition, OptionalLong current, long target) {
    }

    ResetPlan {
        moves = List.copyOf(moves);
    }

    /** @param partitions the partitions to reset, sorted, with what their logs hold and what is committed */
    static ResetPlan of(OffsetReset reset, SortedMap<TopicPartition, OffsetReset.PartitionOffsets> partitions) {
        return new ResetPlan(partitions.entrySet().stream().map(e -> {
            try {
                return new Move(e.getKey(), e.getValue().committed(), reset.target(e.getValue()));
            } catch (IllegalStateException noOffset) {
                throw new IllegalArgumentException("cannot shift the offset of " + e.getKey()
                        + ": the group has no committed offset there", noOffset);
            }
        }).toList());
    }

    /** What {@code alterConsumerGroupOffsets} is given. */
    Map<TopicPartition, OffsetAndMetadata> offsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        moves.forEach(m -> offsets.put(m.partition(), new OffsetAndMetadata(m.target())));
        return offsets;
    }
}
