package io.sluice.cli.commands;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * One partition of a group's picture, as {@code kafka-consumer-groups.sh --describe} shows it: the committed offset
 * (none if the group never committed one), the log-end offset, the lag between them and the member that owns it.
 */
record PartitionLag(TopicPartition partition, OptionalLong committed, OptionalLong logEnd,
        Optional<MemberDescription> owner) {

    static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    /** The records the group has still to read; unknown without a committed offset or a log end. */
    OptionalLong lag() {
        return committed.isPresent() && logEnd.isPresent()
                ? OptionalLong.of(logEnd.getAsLong() - committed.getAsLong())
                : OptionalLong.empty();
    }

    /**
     * Every partition the group owns or has an offset for, in topic and partition order.
     *
     * @param logEnd the log-end offset of those partitions (missing where it could not be read)
     */
    static List<PartitionLag> of(Iterable<MemberDescription> members, Map<TopicPartition, Long> committed,
            Map<TopicPartition, Long> logEnd) {
        Map<TopicPartition, MemberDescription> owners = new HashMap<>();
        for (MemberDescription member : members) {
            member.assignment().topicPartitions().forEach(p -> owners.put(p, member));
        }
        TreeSet<TopicPartition> partitions = new TreeSet<>(ORDER);
        partitions.addAll(owners.keySet());
        partitions.addAll(committed.keySet());
        List<PartitionLag> rows = new ArrayList<>();
        for (TopicPartition p : partitions) {
            Long offset = committed.get(p);
            Long end = logEnd.get(p);
            rows.add(new PartitionLag(p, offset == null ? OptionalLong.empty() : OptionalLong.of(offset),
                    end == null ? OptionalLong.empty() : OptionalLong.of(end), Optional.ofNullable(owners.get(p))));
        }
        return rows;
    }
}
