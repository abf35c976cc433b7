package io.sluice.cli.commands;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** The Admin calls the group commands share, with unknown groups, topics and partitions said so by name. */
final class GroupAdmin {

    private final Admin admin;

    GroupAdmin(Admin admin) {
        this.admin = admin;
    }

    /** The group as its coordinator describes it; empty if there is no such group (Kafka calls it Dead). */
    Optional<ConsumerGroupDescription> find(String group) throws InterruptedException, ExecutionException {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get();
            return description.groupState() == GroupState.DEAD ? Optional.empty() : Optional.of(description);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The group's description; an error if there is no such group. */
    ConsumerGroupDescription existing(String group) throws InterruptedException, ExecutionException {
        return find(group).orElseThrow(() -> new IllegalArgumentException("consumer group " + group
                + " does not exist"));
    }

    /** The group's committed offsets, by partition. */
    Map<TopicPartition, Long> committed(String group) throws InterruptedException, ExecutionException {
        Map<TopicPartition, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().forEach((p, offset) -> {
            if (offset != null) {
                committed.put(p, offset.offset());
            }
        });
        return committed;
    }

    /** The partitions a selection names; an error for a topic or partition the cluster does not have. */
    List<TopicPartition> partitions(TopicSelection selection) throws InterruptedException, ExecutionException {
        String topic = selection.topic();
        TopicDescription description = TopicCommand.get(admin.describeTopics(List.of(topic)).allTopicNames(), topic)
                .get(topic);
        int count = description.partitions().size();
        if (selection.allPartitions()) {
            return description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        }
        for (int partition : selection.partitions()) {
            if (partition >= count) {
                throw new IllegalArgumentException("topic " + topic + " has no partition " + partition + " (it has "
                        + count + ")");
            }
        }
        return selection.partitions().stream().map(p -> new TopicPartition(topic, p)).toList();
    }

    /**
     * The offsets ListOffsets answers for {@code spec}: -1 where it finds none (a timestamp later than every record).
     */
    Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : admin.listOffsets(request).all().get().entrySet()) {
            offsets.put(e.getKey(), e.getValue().offset());
        }
        return offsets;
    }

    /** The log-end offsets of partitions; a partition whose end cannot be read (a deleted topic) is left out. */
    Map<TopicPartition, Long> logEnds(Collection<TopicPartition> partitions) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
        Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> answers = new HashMap<>();
        ListOffsetsResult result = admin.listOffsets(request);
        partitions.forEach(p -> answers.put(p, result.partitionResult(p)));
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> e : answers.entrySet()) {
            try {
                ends.put(e.getKey(), e.getValue().get().offset());
            } catch (ExecutionException unreadable) {
                // shown as "-", as Kafka's tool does
            }
        }
        return ends;
    }
}
