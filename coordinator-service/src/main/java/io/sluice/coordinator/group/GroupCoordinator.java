package io.sluice.coordinator.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.coordinator.concurrent.SerialWorker;
import io.sluice.coordinator.concurrent.StallDetector;
import io.sluice.coordinator.store.StateStore;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Kafka's consumer groups: classic membership and rebalances ({@link Rebalancer}), the consumer group protocol
 * ({@link ConsumerProtocol}), committed offsets, and the admin view of groups. Every group's state is touched on one
 * thread; what must survive a restart goes to the coordinators' replicated {@link StateStore} before the client hears
 * back.
 */
public final class GroupCoordinator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCoordinator.class);
    private static final long EXPIRY_CHECK_MS = 250;
    private static final long INSTANCE_EXPIRY_CHECK_MS = 1000;

    private final GroupStore store;
    /** When things happen, in milliseconds: the wall clock, or a test's. */
    private final LongSupplier clock;
    private final StallDetector stalls;
    private final SerialWorker thread = new SerialWorker("coordinator-groups");
    private final Rebalancer rebalancer;
    /** Changed on the group thread only; concurrent so the metrics gauge may count it from another. */
    private final Map<String, ConsumerGroup> groups = new ConcurrentHashMap<>();
    private final OffsetCommits commits;
    private final OffsetRetention retention;
    private final long retentionCheckMs;
    private final ConsumerInstances instances;
    private final ConsumerProtocol consumerProtocol;

    /**
     * @param topics a topic by name, empty for an unknown topic
     * @param topicNames every topic's name
     */
    public GroupCoordinator(StateStore stateStore, ObjectMapper json, GroupSettings settings,
            InstanceSettings instanceSettings, Function<String, Optional<TopicShape>> topics,
            Supplier<Collection<String>> topicNames, LongSupplier clock) {
        Function<String, Optional<Integer>> partitionCount = name -> topics.apply(name).map(TopicShape::partitions);
        this.store = new GroupStore(stateStore, json);
        this.clock = clock;
        // never near the check's own period, or every late check would look like a stall and no session would end
        this.stalls = new StallDetector(Math.max(settings.minSessionTimeoutMs() / 2, 4 * EXPIRY_CHECK_MS));
        this.rebalancer = new Rebalancer(settings, store, thread::schedule, thread, clock);
        this.commits = new OffsetCommits(store, settings, partitionCount, thread, clock);
        this.retention = new OffsetRetention(settings.offsetsRetentionMs());
        this.retentionCheckMs = settings.offsetsRetentionCheckIntervalMs();
        this.instances = new ConsumerInstances(store, instanceSettings, partitionCount, topicNames);
        this.consumerProtocol = new ConsumerProtocol(settings, new ConsumerProtocolGroup.Topics(topics, topicNames), store);
    }

    /**
     * Loads persisted groups and offsets; restored members get one session timeout to heartbeat again. The offsets'
     * retention is checked at once, as Kafka's coordinator does when it loads, and then every check interval.
     */
    public void start() {
        thread.submit(() -> {
            long now = clock.getAsLong();
            for (GroupStore.GroupRecord record : store.groups()) {
                groups.put(record.groupId(), GroupRestore.group(record, now));
            }
            for (GroupStore.OffsetRecord record : store.offsets()) {
                groups.computeIfAbsent(record.groupId(), ConsumerGroup::new).offsets
                        .put(new TopicPartitionKey(record.topic(), record.partition()), record.committed());
            }
            for (GroupStore.PendingRecord record : store.pending()) {
                Map<TopicPartitionKey, CommittedOffset> offsets = new HashMap<>();
                record.offsets().forEach(o -> offsets.put(new TopicPartitionKey(o.topic(), o.partition()),
                        o.committed()));
                groups.computeIfAbsent(record.groupId(), ConsumerGroup::new).pendingTransactional
                        .put(record.producerId(), offsets);
            }
            instances.load(now);
            LOG.infof("%d consumer groups and %d HTTP consumer instances loaded", groups.size(), instances.count());
            return CompletableFuture.completedFuture(null);
        }).join();
        thread.every(EXPIRY_CHECK_MS, this::expireMembers);
        thread.every(INSTANCE_EXPIRY_CHECK_MS, () -> instances.expire(clock.getAsLong()));
        thread.execute(this::expireOffsets);
        thread.every(retentionCheckMs, this::expireOffsets);
    }

    public int groupCount() {
        return groups.size();
    }

    // ---- membership

    public CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request, short version,
            String clientId, String clientHost) {
        return thread.submit(() -> {
            Errors invalid = rebalancer.validateJoin(request);
            if (invalid != null) {
                return Rebalancer.joinError(invalid, request.memberId());
            }
            ConsumerGroup group = groups.computeIfAbsent(request.groupId(), ConsumerGroup::new);
            if (group.hasConsumerProtocolMembers()) {
                return Rebalancer.joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, request.memberId());
            }
            group.consumerProtocol = null;
            return rebalancer.join(group, request, version, clientId == null ? "consumer" : clientId, clientHost,
                    clock.getAsLong());
        });
    }

    public CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        return thread.submit(() -> rebalancer.sync(groups.get(request.groupId()), request, clock.getAsLong()));
    }

    public CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        return thread.submit(() -> CompletableFuture.completedFuture(
                rebalancer.heartbeat(groups.get(request.groupId()), request, clock.getAsLong())));
    }

    public CompletableFuture<LeaveGroupResponseData> leave(LeaveGroupRequestData request, short version) {
        return thread.submit(() -> CompletableFuture.completedFuture(
                rebalancer.leave(groups.get(request.groupId()), request, version)));
    }

    /**
     * ConsumerGroupHeartbeat (KIP-848). A group with classic members, or consumed over HTTP, is not a consumer group;
     * an empty classic one becomes one.
     */
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost) {
        return thread.submit(() -> {
            ConsumerGroupHeartbeatResponseData refused = ConsumerProtocol.invalid(request);
            if (refused != null) {
                return CompletableFuture.completedFuture(refused);
            }
            ConsumerGroup group = groups.get(request.groupId());
            if (group != null && group.consumerProtocol == null
                    && (group.occupied() || instances.inUse(group.groupId()))) {
                return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                        .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage("Group " + request.groupId() + " is not a consumer group."));
            }
            if (group == null && request.memberEpoch() != 0) {
                // only a join makes a group; anyone else is told to join
                return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                        .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code())
                        .setErrorMessage("Group " + request.groupId() + " has no members; join it with epoch 0."));
            }
            if (group == null) {
                group = new ConsumerGroup(request.groupId());
                groups.put(group.groupId(), group);
            }
            return consumerProtocol.heartbeat(group, request, clientId == null ? "consumer" : clientId, clientHost,
                    clock.getAsLong());
        });
    }

    /** One check of the members' sessions, as the group thread makes every {@value #EXPIRY_CHECK_MS} ms. */
    CompletableFuture<Void> checkSessions() {
        return thread.submit(() -> {
            expireMembers();
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Removes the members silent past their session timeout; but after a stall of the coordinator's own (the check
     * did not run for half the shortest session a member may have) every member gets a fresh session instead, since
     * none of them could reach it meanwhile.
     */
    private void expireMembers() {
        long now = clock.getAsLong();
        long stall = stalls.stallBefore(now);
        if (stall > 0) {
            LOG.warnf("the group coordinator did not check sessions for %d ms (was it paused?); every member gets a"
                    + " fresh session instead of being judged across that", stall);
            groups.values().forEach(group -> {
                rebalancer.renewSessions(group, now);
                ConsumerProtocol.renewSessions(group, now);
            });
            return;
        }
        for (ConsumerGroup group : List.copyOf(groups.values())) {
            rebalancer.expire(group, now);
            consumerProtocol.expire(group, now);
        }
    }

    // ---- offsets

    public CompletableFuture<OffsetCommitResponseData> commit(OffsetCommitRequestData request) {
        return thread.submit(() -> commits.commit(groups, request));
    }

    public CompletableFuture<OffsetFetchResponseData> fetchOffsets(
            OffsetFetchRequestData request, short version) {
        return thread.submit(() -> CompletableFuture.completedFuture(commits.fetch(groups, request, version)));
    }

    /** TxnOffsetCommit: offsets that become committed only when the producer's transaction commits. */
    public CompletableFuture<TxnOffsetCommitResponseData> commitTransactional(TxnOffsetCommitRequestData request) {
        return thread.submit(() -> commits.commitTransactional(groups, request));
    }

    /** The end of a transaction that committed offsets for {@code groupId}: they take effect, or vanish. */
    public CompletableFuture<Void> completeTransaction(String groupId, long producerId, boolean commit) {
        return thread.submit(() -> commits.completeTransaction(groups.get(groupId), producerId, commit));
    }

    /** A deleted topic's committed offsets go with it, so a new topic of the same name starts afresh. */
    public CompletableFuture<Void> forgetTopic(String topic) {
        return thread.submit(() -> CompletableFuture.allOf(groups.values().stream()
                .map(group -> commits.forgetTopic(group, topic)).toArray(CompletableFuture[]::new)));
    }

    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        return thread.submit(() -> commits.delete(groups.get(request.groupId()), request));
    }

    /** One check of the offsets' retention, as the group thread makes one every check interval; done once stored. */
    CompletableFuture<Void> checkOffsetRetention() {
        return thread.submit(this::expireOffsets);
    }

    /**
     * Drops the expired offsets ({@link OffsetRetention}) of every group nobody is in: Empty, no member id handed out
     * and waiting to join, no HTTP consumer instance, no commit being stored. A group left without offsets, and
     * without offsets of an open transaction, is removed, as Kafka's becomes Dead. Removals go to the store as
     * OffsetDelete's and DeleteGroups' do, so no replica taking over brings them back.
     */
    private CompletableFuture<Void> expireOffsets() {
        long now = clock.getAsLong();
        List<CompletableFuture<Void>> removals = new ArrayList<>();
        for (ConsumerGroup group : List.copyOf(groups.values())) {
            if (!group.is(GroupState.EMPTY) || group.occupied() || group.commitsBeingStored > 0
                    || instances.inUse(group.groupId())) {
                continue;
            }
            List<TopicPartitionKey> expired = retention.expired(group, now);
            CompletableFuture<Void> removal;
            if (expired.size() == group.offsets.size() && group.pendingTransactional.isEmpty()) {
                LOG.infof("group %s removed: empty, and its %d committed offsets expired", group.groupId(),
                        expired.size());
                removal = removeGroup(group);
            } else if (!expired.isEmpty()) {
                LOG.infof("group %s: %d committed offsets expired", group.groupId(), expired.size());
                expired.forEach(group.offsets::remove);
                removal = store.removeOffsets(group.groupId(), expired);
            } else {
                continue;
            }
            removals.add(removal.exceptionally(e -> {
                LOG.warnf("group %s: expired offsets not removed from the state: %s", group.groupId(), e.toString());
                return null;
            }));
        }
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
    }

    /** The group is Dead and gone, with its offsets, here and in the store. */
    private CompletableFuture<Void> removeGroup(ConsumerGroup group) {
        group.state = GroupState.DEAD;
        groups.remove(group.groupId());
        return store.removeGroup(group);
    }

    // ---- HTTP consumer instances

    public CompletableFuture<ConsumerInstance> createInstance(ConsumerInstance instance) {
        return onInstances(() -> instances.create(groups.get(instance.group()), instance, clock.getAsLong()));
    }

    public CompletableFuture<Void> deleteInstance(String group, String name) {
        return onInstances(() -> instances.delete(group, name));
    }

    public CompletableFuture<InstanceView> instance(String group, String name) {
        return onInstances(() -> CompletableFuture.completedFuture(
                instances.view(groups.get(group), group, name, clock.getAsLong())));
    }

    /** Subscribes to topics or a pattern; neither is an unsubscription. */
    public CompletableFuture<Void> subscribeInstance(String group, String name, List<String> topics, String pattern) {
        return onInstances(() -> instances.subscribe(group, name, topics, pattern, clock.getAsLong()));
    }

    public CompletableFuture<Void> assignInstance(String group, String name, List<ConsumerInstance.Partition> partitions) {
        return onInstances(() -> instances.assign(group, name, partitions, clock.getAsLong()));
    }

    /** Moves an instance's positions, and with {@code commit} commits them as the group's offsets. */
    public CompletableFuture<Void> seekInstance(String group, String name, List<ConsumerInstance.Position> positions,
            boolean commit) {
        return onInstances(() -> instances.seek(groups, commits, group, name, positions, commit, clock.getAsLong()));
    }

    /** Commits the offsets given, or with none the instance's positions, as the group's committed offsets. */
    public CompletableFuture<Void> commitInstance(String group, String name, List<ConsumerInstance.Position> offsets,
            String metadata) {
        return onInstances(() -> instances.commit(groups, commits, group, name, offsets, metadata,
                clock.getAsLong()));
    }

    /** Runs on the group thread; a refusal fails the answer without being logged as a failure to serve. */
    private <T> CompletableFuture<T> onInstances(Supplier<CompletableFuture<T>> work) {
        return thread.submit(() -> {
            try {
                return work.get();
            } catch (InstanceRefusal refusal) {
                return CompletableFuture.failedFuture(refusal);
            }
        });
    }

    // ---- admin

    public CompletableFuture<DescribeGroupsResponseData> describe(DescribeGroupsRequestData request) {
        return thread.submit(() -> {
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            Set<String> described = new HashSet<>();
            for (String groupId : request.groups()) {
                // a group named again is not described again: no request multiplies the members it is sent
                ConsumerGroup group = groups.get(groupId);
                if (!described.add(groupId)) {
                    response.groups().add(GroupDescriptions.refused(groupId, Errors.INVALID_REQUEST));
                } else if (group != null && group.consumerProtocol != null) {
                    // Kafka's answer for a group of the consumer group protocol, which ConsumerGroupDescribe shows
                    response.groups().add(GroupDescriptions.refused(groupId, Errors.GROUP_ID_NOT_FOUND));
                } else {
                    List<ConsumerInstances.Member> readers = group != null && group.occupied() ? List.of()
                            : instances.members(groupId);
                    response.groups().add(readers.isEmpty() ? GroupDescriptions.describe(groupId, group)
                            : GroupDescriptions.describe(groupId, readers));
                }
            }
            return CompletableFuture.completedFuture(response);
        });
    }

    /** ConsumerGroupDescribe: groups under the consumer group protocol; any other is GROUP_ID_NOT_FOUND. */
    public CompletableFuture<ConsumerGroupDescribeResponseData> describeConsumerGroups(
            ConsumerGroupDescribeRequestData request) {
        return thread.submit(() -> {
            ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
            for (String groupId : new LinkedHashSet<>(request.groupIds())) {
                response.groups().add(consumerProtocol.describe(groupId, groups.get(groupId)));
            }
            return CompletableFuture.completedFuture(response);
        });
    }

    public CompletableFuture<ListGroupsResponseData> list(ListGroupsRequestData request) {
        return thread.submit(() -> {
            Set<String> states = request.statesFilter().stream().map(String::toLowerCase).collect(Collectors.toSet());
            Set<String> types = request.typesFilter().stream().map(String::toLowerCase).collect(Collectors.toSet());
            List<ListGroupsResponseData.ListedGroup> listed = new ArrayList<>();
            Set<String> readByInstances = new HashSet<>(instances.groupsWithMembers());
            for (ConsumerGroup group : groups.values()) {
                boolean instanceMembers = readByInstances.remove(group.groupId()) && !group.occupied();
                listed.add(new ListGroupsResponseData.ListedGroup().setGroupId(group.groupId())
                        .setProtocolType(instanceMembers ? GroupDescriptions.CONSUMER_PROTOCOL_TYPE
                                : group.protocolType == null ? "" : group.protocolType)
                        .setGroupState(instanceMembers ? GroupState.STABLE.kafkaName() : group.stateName())
                        .setGroupType(group.type()));
            }
            // Read by HTTP consumer instances only, nothing committed yet: a classic group of consumers, as the
            // bridge's would be.
            readByInstances.forEach(groupId -> listed.add(new ListGroupsResponseData.ListedGroup().setGroupId(groupId)
                    .setProtocolType(GroupDescriptions.CONSUMER_PROTOCOL_TYPE)
                    .setGroupState(GroupState.STABLE.kafkaName()).setGroupType("classic")));
            ListGroupsResponseData response = new ListGroupsResponseData();
            listed.stream().filter(g -> (states.isEmpty() || states.contains(g.groupState().toLowerCase()))
                    && (types.isEmpty() || types.contains(g.groupType()))).forEach(response.groups()::add);
            return CompletableFuture.completedFuture(response);
        });
    }

    public CompletableFuture<DeleteGroupsResponseData> delete(DeleteGroupsRequestData request) {
        return thread.submit(() -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            List<CompletableFuture<Void>> removals = new ArrayList<>();
            for (String groupId : request.groupsNames()) {
                DeleteGroupsResponseData.DeletableGroupResult result = new DeleteGroupsResponseData.DeletableGroupResult()
                        .setGroupId(groupId);
                response.results().add(result);
                ConsumerGroup group = groups.get(groupId);
                if (groupId.isEmpty()) {
                    result.setErrorCode(Errors.INVALID_GROUP_ID.code());
                } else if (group != null && group.occupied() || instances.hasMembers(groupId)) {
                    result.setErrorCode(Errors.NON_EMPTY_GROUP.code());
                } else if (group == null) {
                    result.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
                } else {
                    removals.add(removeGroup(group).whenComplete((v, e) -> {
                        if (e != null) {
                            result.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                        }
                    }));
                    LOG.infof("deleted group %s", groupId);
                }
            }
            return CompletableFuture.allOf(removals.stream().map(f -> f.handle((v, e) -> null))
                    .toArray(CompletableFuture[]::new)).thenApply(v -> response);
        });
    }

    @Override
    public void close() {
        thread.close();
    }
}
