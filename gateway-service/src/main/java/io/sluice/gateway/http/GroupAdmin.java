package io.sluice.gateway.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/**
 * Consumer groups over HTTP, with the requests Kafka's Admin client sends for kafka-consumer-groups: ListGroups,
 * ConsumerGroupDescribe and DescribeGroups, OffsetFetch, OffsetCommit (as an admin, generation -1) and DeleteGroups to
 * the coordinator, and ListOffsets to the partition leaders for log ends.
 */
final class GroupAdmin {

    private static final short LIST_GROUPS_VERSION = 4;
    private static final short DESCRIBE_GROUPS_VERSION = 5;
    private static final short CONSUMER_GROUP_DESCRIBE_VERSION = 0;
    private static final short OFFSET_FETCH_VERSION = 7;
    private static final short OFFSET_COMMIT_VERSION = 8;
    private static final short DELETE_GROUPS_VERSION = 2;
    /** The states in which a group has no members, so its offsets may be moved (as kafka-consumer-groups allows). */
    private static final Set<String> WITHOUT_MEMBERS = Set.of("Empty", "Dead");

    private final MetadataView metadata;
    private final LeaderRequests leaders;

    GroupAdmin(MetadataView metadata, LeaderRequests leaders) {
        this.metadata = metadata;
        this.leaders = leaders;
    }

    CompletableFuture<GroupBodies.Groups> list() {
        return coordinator(new ListGroupsRequestData(), LIST_GROUPS_VERSION, ListGroupsResponseData.class)
                .thenApply(response -> {
                    check(Errors.forCode(response.errorCode()), null);
                    return new GroupBodies.Groups(response.groups().stream()
                            .map(g -> new GroupBodies.Listed(g.groupId(), g.groupState(), g.protocolType()))
                            .sorted(Comparator.comparing(GroupBodies.Listed::group))
                            .toList());
                });
    }

    /**
     * The group, or 404 when the coordinator knows nothing of it (no members, no offsets). As Kafka's Admin does, a
     * group is asked for by ConsumerGroupDescribe first, and by DescribeGroups when it is not of the consumer group
     * protocol.
     */
    CompletableFuture<GroupBodies.Group> describe(String group) {
        return consumerProtocolGroup(group).thenCompose(found -> found
                .map(described -> CompletableFuture.completedFuture(new GroupBodies.Group(group,
                        described.groupState(), "consumer", described.assignorName(), described.members().stream()
                                .map(m -> new GroupBodies.Member(m.memberId(), m.instanceId(), m.clientId(),
                                        m.clientHost(), m.assignment().topicPartitions().stream()
                                                .map(t -> new GroupBodies.Assignment(t.topicName(),
                                                        t.partitions().stream().sorted().toList()))
                                                .sorted(Comparator.comparing(GroupBodies.Assignment::topic))
                                                .toList()))
                                .toList())))
                .orElseGet(() -> describeClassic(group)));
    }

    /** The group if it is of the consumer group protocol (KIP-848). */
    private CompletableFuture<Optional<ConsumerGroupDescribeResponseData.DescribedGroup>> consumerProtocolGroup(
            String group) {
        ConsumerGroupDescribeRequestData request = new ConsumerGroupDescribeRequestData().setGroupIds(List.of(group));
        return coordinator(request, CONSUMER_GROUP_DESCRIBE_VERSION, ConsumerGroupDescribeResponseData.class)
                .thenApply(response -> {
                    ConsumerGroupDescribeResponseData.DescribedGroup described = response.groups().get(0);
                    Errors error = Errors.forCode(described.errorCode());
                    if (error == Errors.GROUP_ID_NOT_FOUND) {
                        return Optional.empty();
                    }
                    check(error, described.errorMessage());
                    return Optional.of(described);
                });
    }

    private CompletableFuture<GroupBodies.Group> describeClassic(String group) {
        DescribeGroupsRequestData request = new DescribeGroupsRequestData();
        request.groups().add(group);
        return coordinator(request, DESCRIBE_GROUPS_VERSION, DescribeGroupsResponseData.class).thenApply(response -> {
            DescribeGroupsResponseData.DescribedGroup described = response.groups().get(0);
            Errors error = Errors.forCode(described.errorCode());
            if (error == Errors.GROUP_ID_NOT_FOUND || (error == Errors.NONE && described.groupState().equals("Dead"))) {
                throw HttpError.notFound("group " + group + " does not exist");
            }
            check(error, described.errorMessage());
            boolean consumer = "consumer".equals(described.protocolType());
            return new GroupBodies.Group(group, described.groupState(), described.protocolType(),
                    described.protocolData(), described.members().stream().map(m -> new GroupBodies.Member(
                            m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                            consumer ? assignments(m.memberAssignment()) : List.of()))
                            .toList());
        });
    }

    private static List<GroupBodies.Assignment> assignments(byte[] assignment) {
        if (assignment == null || assignment.length == 0) {
            return List.of();
        }
        ConsumerPartitionAssignor.Assignment decoded;
        try {
            decoded = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment));
        } catch (RuntimeException e) {
            // A member's own bytes, which a client other than Kafka's may have written otherwise.
            return List.of();
        }
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        decoded.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                .add(tp.partition()));
        return byTopic.entrySet().stream().map(e -> new GroupBodies.Assignment(e.getKey(),
                e.getValue().stream().sorted().toList())).toList();
    }

    CompletableFuture<GroupBodies.Lag> lag(String group) {
        return describe(group).thenCompose(described -> committed(group).thenCompose(committed -> {
            Map<TopicPartition, Long> partitions = new TreeMap<>(ORDER);
            partitions.putAll(committed);
            described.members().forEach(m -> m.assignments().forEach(a -> a.partitions()
                    .forEach(p -> partitions.putIfAbsent(new TopicPartition(a.topic(), p), null))));
            return offsets(partitions.keySet(), ListOffsetsRequest.LATEST_TIMESTAMP).thenApply(ends -> {
                List<GroupBodies.PartitionLag> lags = new ArrayList<>(partitions.size());
                partitions.forEach((tp, offset) -> {
                    Long end = ends.get(tp);
                    lags.add(new GroupBodies.PartitionLag(tp.topic(), tp.partition(), offset, end,
                            offset == null || end == null ? null : Math.max(0, end - offset)));
                });
                return new GroupBodies.Lag(group, described.state(), lags);
            });
        }));
    }

    /**
     * Moves the group's committed offsets of some partitions of a topic; refused (409) while the group has members,
     * as kafka-consumer-groups refuses. New offsets stay within the log.
     */
    CompletableFuture<GroupBodies.ResetDone> reset(String group, GroupBodies.Reset reset) {
        long timestamp = ResetTarget.check(reset);
        CompletableFuture<TopicView> topic = Topics.find(metadata, reset.topic());
        return state(group).thenCombine(topic, (state, found) -> {
            if (!WITHOUT_MEMBERS.contains(state)) {
                throw new HttpError(409, "group " + group + " is " + state + ": offsets can only be reset while it has"
                        + " no members (stop its consumers first)");
            }
            List<Integer> partitions = reset.partitions() != null ? reset.partitions()
                    : found.partitions().stream().map(p -> p.partition()).toList();
            partitions.forEach(p -> PartitionReader.checkPartition(found, p));
            return partitions.stream().distinct().sorted().map(p -> new TopicPartition(found.name(), p)).toList();
        }).thenCompose(partitions -> committed(group).thenCompose(committed -> {
            CompletableFuture<Map<TopicPartition, Long>> earliest = offsets(partitions,
                    ListOffsetsRequest.EARLIEST_TIMESTAMP);
            CompletableFuture<Map<TopicPartition, Long>> latest = offsets(partitions,
                    ListOffsetsRequest.LATEST_TIMESTAMP);
            CompletableFuture<Map<TopicPartition, Long>> atTime = timestamp < 0
                    ? CompletableFuture.completedFuture(Map.of())
                    : offsets(partitions, timestamp);
            return CompletableFuture.allOf(earliest, latest, atTime).thenCompose(all -> {
                List<GroupBodies.Moved> moves = new ArrayList<>();
                for (TopicPartition tp : partitions) {
                    Long first = earliest.join().get(tp);
                    Long end = latest.join().get(tp);
                    if (first == null || end == null) {
                        throw new HttpError(503, "the leader of " + tp + " does not answer; try again");
                    }
                    long target = ResetTarget.of(reset, first, end, atTime.join().get(tp));
                    moves.add(new GroupBodies.Moved(tp.topic(), tp.partition(), committed.get(tp), target));
                }
                return commit(group, moves).thenApply(nothing -> new GroupBodies.ResetDone(group, moves));
            });
        }));
    }

    CompletableFuture<Void> delete(String group) {
        DeleteGroupsRequestData request = new DeleteGroupsRequestData();
        request.groupsNames().add(group);
        return coordinator(request, DELETE_GROUPS_VERSION, DeleteGroupsResponseData.class).thenApply(response -> {
            DeleteGroupsResponseData.DeletableGroupResult result = response.results().iterator().next();
            Errors error = Errors.forCode(result.errorCode());
            if (error == Errors.GROUP_ID_NOT_FOUND) {
                throw HttpError.notFound("group " + group + " does not exist");
            }
            if (error == Errors.NON_EMPTY_GROUP) {
                throw new HttpError(409, "group " + group + " has members: it can be deleted once they are gone");
            }
            check(error, null);
            return null;
        });
    }

    private CompletableFuture<String> state(String group) {
        return consumerProtocolGroup(group).thenCompose(found -> found
                .map(described -> CompletableFuture.completedFuture(described.groupState()))
                .orElseGet(() -> classicState(group)));
    }

    private CompletableFuture<String> classicState(String group) {
        DescribeGroupsRequestData request = new DescribeGroupsRequestData();
        request.groups().add(group);
        return coordinator(request, DESCRIBE_GROUPS_VERSION, DescribeGroupsResponseData.class).thenApply(response -> {
            DescribeGroupsResponseData.DescribedGroup described = response.groups().get(0);
            Errors error = Errors.forCode(described.errorCode());
            if (error == Errors.GROUP_ID_NOT_FOUND) {
                return "Dead";
            }
            check(error, described.errorMessage());
            return described.groupState();
        });
    }

    private static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    /** The group's committed offsets, every partition it has one on. */
    private CompletableFuture<Map<TopicPartition, Long>> committed(String group) {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId(group).setTopics(null)
                .setRequireStable(false);
        return coordinator(request, OFFSET_FETCH_VERSION, OffsetFetchResponseData.class).thenApply(response -> {
            check(Errors.forCode(response.errorCode()), null);
            Map<TopicPartition, Long> committed = new TreeMap<>(ORDER);
            response.topics().forEach(t -> t.partitions().forEach(p -> {
                if (p.errorCode() == Errors.NONE.code() && p.committedOffset() >= 0) {
                    committed.put(new TopicPartition(t.name(), p.partitionIndex()), p.committedOffset());
                }
            }));
            return committed;
        });
    }

    private CompletableFuture<Void> commit(String group, List<GroupBodies.Moved> moves) {
        Map<String, OffsetCommitRequestData.OffsetCommitRequestTopic> topics = new TreeMap<>();
        moves.forEach(m -> topics.computeIfAbsent(m.topic(), t -> new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setName(t)).partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(m.partition())
                        .setCommittedOffset(m.offset())
                        .setCommittedLeaderEpoch(-1)));
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(-1)
                .setMemberId("");
        request.topics().addAll(topics.values());
        return coordinator(request, OFFSET_COMMIT_VERSION, OffsetCommitResponseData.class).thenApply(response -> {
            response.topics().forEach(t -> t.partitions().forEach(p -> {
                Errors error = Errors.forCode(p.errorCode());
                if (error == Errors.UNKNOWN_MEMBER_ID || error == Errors.ILLEGAL_GENERATION
                        || error == Errors.REBALANCE_IN_PROGRESS) {
                    throw new HttpError(409, "group " + group + " has members again: offsets not reset");
                }
                check(error, null);
            }));
            return null;
        });
    }

    /** Each partition's offset at {@code timestamp} (earliest, latest, or a time: -1 when no record is that late). */
    private CompletableFuture<Map<TopicPartition, Long>> offsets(Collection<TopicPartition> partitions,
            long timestamp) {
        if (partitions.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        Map<String, ListOffsetsTopic> topics = new TreeMap<>();
        partitions.forEach(tp -> topics.computeIfAbsent(tp.topic(), t -> new ListOffsetsTopic().setName(t))
                .partitions().add(new ListOffsetsPartition().setPartitionIndex(tp.partition())
                        .setTimestamp(timestamp).setCurrentLeaderEpoch(-1)));
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 0);
        request.topics().addAll(topics.values());
        return leaders.listOffsets(request).thenApply(response -> {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            response.topics().forEach(t -> t.partitions().forEach(p -> {
                if (p.errorCode() == Errors.NONE.code()) {
                    offsets.put(new TopicPartition(t.name(), p.partitionIndex()), p.offset());
                }
            }));
            return offsets;
        });
    }

    private <R extends ApiMessage> CompletableFuture<R> coordinator(ApiMessage request, short version,
            Class<R> response) {
        return CoordinatorRequests.send(metadata, request, version, response);
    }

    private static void check(Errors error, String message) {
        CoordinatorRequests.check(error, message);
    }
}
