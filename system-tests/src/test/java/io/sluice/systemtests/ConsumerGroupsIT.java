package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/** Consumer groups with real KafkaConsumers in one JVM: assignors, rebalances, static membership, offsets, Admin. */
@SluiceCluster
class ConsumerGroupsIT {

    static TestCluster cluster;
    static KafkaClients clients;

    private static final Duration REBALANCED = Duration.ofSeconds(60);

    @ParameterizedTest
    @Execution(ExecutionMode.CONCURRENT)
    @ValueSource(classes = { RangeAssignor.class, RoundRobinAssignor.class, StickyAssignor.class,
            CooperativeStickyAssignor.class })
    void membersSharePartitionsAndRebalanceOnJoinLeaveAndGrowth(Class<?> assignor) throws Exception {
        String topic = "share-" + assignor.getSimpleName().toLowerCase();
        String group = "g-" + topic;
        createTopic(topic, 6);
        try (GroupMembers members = new GroupMembers(topic, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor.getName(),
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000))) {
            members.start(3);
            await().atMost(REBALANCED).untilAsserted(() -> assertThat(members.assignments())
                    .allSatisfy(a -> assertThat(a).hasSize(2))
                    .satisfies(all -> assertThat(union(all)).hasSize(6)));

            members.stop(1);
            await().atMost(REBALANCED).untilAsserted(() -> assertThat(union(members.assignments())).hasSize(6)
                    .satisfies(u -> assertThat(members.assignments()).allSatisfy(a -> assertThat(a).hasSize(3))));

            try (Admin admin = clients.admin()) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(8))).all().get(30, TimeUnit.SECONDS);
            }
            await().atMost(REBALANCED).untilAsserted(() -> assertThat(union(members.assignments())).hasSize(8)
                    .satisfies(u -> assertThat(members.assignments()).allSatisfy(a -> assertThat(a).hasSize(4))));

            members.start(1);
            await().atMost(REBALANCED).untilAsserted(() -> assertThat(union(members.assignments())).hasSize(8)
                    .satisfies(u -> assertThat(members.assignments()).hasSize(3)
                            .allSatisfy(a -> assertThat(a).hasSizeBetween(2, 3))));
            assertNoPartitionOwnedTwice(members.assignments());
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void staticMemberBackWithinItsSessionCausesNoRebalance() throws Exception {
        String topic = "static-members";
        createTopic(topic, 4);
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "g-static",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
        List<String> events = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> stays = clients.consumer(withInstance(config, "stays"))) {
            stays.subscribe(List.of(topic), recording("stays", events));
            Set<TopicPartition> before;
            try (KafkaConsumer<String, String> restarts = clients.consumer(withInstance(config, "restarts"))) {
                restarts.subscribe(List.of(topic));
                await().atMost(REBALANCED).until(() -> {
                    stays.poll(Duration.ofMillis(100));
                    restarts.poll(Duration.ofMillis(100));
                    return stays.assignment().size() == 2 && restarts.assignment().size() == 2;
                });
                before = Set.copyOf(restarts.assignment());
            }
            events.clear();
            try (KafkaConsumer<String, String> back = clients.consumer(withInstance(config, "restarts"))) {
                back.subscribe(List.of(topic));
                await().atMost(REBALANCED).until(() -> {
                    stays.poll(Duration.ofMillis(100));
                    back.poll(Duration.ofMillis(100));
                    return back.assignment().size() == 2;
                });
                assertThat(back.assignment()).isEqualTo(before);
                // A rebalance would reach the member that stayed with its next heartbeat (every 3 s): poll past two.
                long until = System.currentTimeMillis() + 8_000;
                while (System.currentTimeMillis() < until) {
                    stays.poll(Duration.ofMillis(200));
                }
                assertThat(events).as("rebalance callbacks of the member that stayed").isEmpty();
            }
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void committedOffsetsDecideWhereAMemberStartsAndAutoOffsetResetWhenThereAreNone() throws Exception {
        String topic = "positions";
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        produce(topic, 0, 10);
        assertThat(firstValueSeen(topic, "g-earliest", "earliest")).isEqualTo("0");
        produce(topic, 10, 11);
        assertThat(firstValueSeen(topic, "g-earliest", "earliest")).as("resumes after the commit").isEqualTo("10");

        try (KafkaConsumer<String, String> latest = clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "g-latest", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))) {
            latest.subscribe(List.of(topic));
            await().atMost(REBALANCED).until(() -> {
                latest.poll(Duration.ofMillis(100));
                return !latest.assignment().isEmpty();
            });
            assertThat(latest.position(tp)).isEqualTo(11);
        }
        try (KafkaConsumer<String, String> none = clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "g-none", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            none.subscribe(List.of(topic));
            assertThatThrownBy(() -> {
                long deadline = System.currentTimeMillis() + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    none.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(NoOffsetForPartitionException.class);
        }

        try (KafkaConsumer<String, String> manual = clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "g-manual"))) {
            manual.assign(List.of(tp));
            manual.commitSync(Map.of(tp, new OffsetAndMetadata(4, "checkpoint-a")));
            assertThat(manual.committed(Set.of(tp)).get(tp)).isEqualTo(new OffsetAndMetadata(4, "checkpoint-a"));
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            manual.commitAsync(Map.of(tp, new OffsetAndMetadata(7, "checkpoint-b")),
                    (offsets, error) -> {
                        if (error != null) {
                            done.completeExceptionally(error);
                        } else {
                            done.complete(null);
                        }
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                manual.poll(Duration.ofMillis(50));
                return done.isDone();
            });
            done.get();
            assertThat(manual.committed(Set.of(tp)).get(tp).offset()).isEqualTo(7);
            assertThat(manual.committed(Set.of(tp)).get(tp).metadata()).isEqualTo("checkpoint-b");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void autoCommittedPositionsAreWhereTheNextMemberStarts() throws Exception {
        String topic = "auto-commits";
        createTopic(topic, 1);
        produce(topic, 0, 20);
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "g-auto",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true,
                ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 200, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        try (KafkaConsumer<String, String> consumer = clients.consumer(config)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(REBALANCED).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() == 20;
            });
        }
        try (Admin admin = clients.admin()) {
            assertThat(admin.listConsumerGroupOffsets("g-auto").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0)).offset()).isEqualTo(20);
        }
        produce(topic, 20, 25);
        try (KafkaConsumer<String, String> next = clients.consumer(config)) {
            next.subscribe(List.of(topic));
            List<String> seen = new ArrayList<>();
            await().atMost(REBALANCED).until(() -> {
                next.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return seen.size() >= 5;
            });
            assertThat(seen).containsExactly("20", "21", "22", "23", "24");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void deletingATopicDeletesItsCommittedOffsets() throws Exception {
        String topic = "recreated";
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Admin admin = clients.admin()) {
            admin.alterConsumerGroupOffsets("g-recreated", Map.of(tp, new OffsetAndMetadata(42))).all()
                    .get(30, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroupOffsets("g-recreated").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)).containsKey(tp);
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            createTopic(topic, 1);
            assertThat(admin.listConsumerGroupOffsets("g-recreated").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS)).doesNotContainKey(tp);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void adminSeesWhatTheConsumersDid() throws Exception {
        String topic = "watched";
        String group = "g-watched";
        createTopic(topic, 3);
        produce(topic, 0, 30);
        try (Admin admin = clients.admin();
                KafkaConsumer<String, String> consumer = clients.consumer(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.CLIENT_ID_CONFIG, "watched-client"))) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (read < 30 && System.currentTimeMillis() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(read).isEqualTo(30);
            TopicPartition p0 = new TopicPartition(topic, 0);
            Map<TopicPartition, OffsetAndMetadata> committedNow = new HashMap<>();
            for (TopicPartition tp : consumer.assignment()) {
                committedNow.put(tp, new OffsetAndMetadata(consumer.position(tp) - (tp.equals(p0) ? 2 : 0)));
            }
            consumer.commitSync(committedNow);

            Collection<ConsumerGroupListing> listed = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS);
            assertThat(listed).anySatisfy(g -> {
                assertThat(g.groupId()).isEqualTo(group);
                assertThat(g.groupState()).contains(GroupState.STABLE);
            });
            ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group);
            assertThat(described.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(described.partitionAssignor()).isEqualTo("range");
            assertThat(described.members()).singleElement().satisfies(m -> {
                assertThat(m.clientId()).isEqualTo("watched-client");
                assertThat(m.assignment().topicPartitions()).hasSize(3);
            });
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(offsets).isEqualTo(committedNow);
            Map<TopicPartition, Long> lag = lag(admin, offsets);
            assertThat(lag.get(p0)).isEqualTo(2);
            assertThat(lag.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);

            assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupNotEmptyException.class);
            assertThatThrownBy(() -> admin.alterConsumerGroupOffsets(group, Map.of(p0, new OffsetAndMetadata(0)))
                    .all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.UnknownMemberIdException.class);
            assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets(group, Set.of(p0)).all()
                    .get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupSubscribedToTopicException.class);
        }
        try (Admin admin = clients.admin()) {
            await().atMost(REBALANCED).until(() -> admin.describeConsumerGroups(List.of(group)).all()
                    .get(30, TimeUnit.SECONDS).get(group).groupState() == GroupState.EMPTY);
            TopicPartition p1 = new TopicPartition(topic, 1);
            admin.alterConsumerGroupOffsets(group, Map.of(p1, new OffsetAndMetadata(1, "rewound"))).all()
                    .get(30, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .get(p1)).isEqualTo(new OffsetAndMetadata(1, "rewound"));
            admin.deleteConsumerGroupOffsets(group, Set.of(p1)).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                    .doesNotContainKey(p1).hasSize(2);
            admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
            assertThat(admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS))
                    .noneSatisfy(g -> assertThat(g.groupId()).isEqualTo(group));
            assertThatThrownBy(() -> admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.GroupIdNotFoundException.class);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void badGroupRequestsGetKafkasErrorsAndTheGroupRecovers() throws Exception {
        String topic = "raw-groups";
        createTopic(topic, 2);
        try (RawKafka raw = new RawKafka(cluster.bootstrapServers())) {
            assertThat(join(raw, "g-raw", "", 1_000).errorCode()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());
            assertThat(join(raw, "", "", 10_000).errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code());
            assertThat(heartbeat(raw, "g-raw", "nobody", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

            JoinGroupResponseData first = join(raw, "g-raw", "", 10_000);
            assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
            String memberId = first.memberId();
            JoinGroupResponseData joined = join(raw, "g-raw", memberId, 10_000);
            assertThat(joined.errorCode()).isZero();
            assertThat(joined.leader()).isEqualTo(memberId);
            int generation = joined.generationId();
            assertThat(heartbeat(raw, "g-raw", memberId, generation - 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(heartbeat(raw, "g-raw", memberId, generation)).isEqualTo(Errors.NONE);
            assertThat(sync(raw, "g-raw", "stranger", generation)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(sync(raw, "g-raw", memberId, generation + 1)).isEqualTo(Errors.ILLEGAL_GENERATION);

            assertThat(sync(raw, "g-raw", memberId, generation)).isEqualTo(Errors.NONE);

            assertThat(commit(raw, "g-raw", memberId, generation, "no-such-topic", 0, ""))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(commit(raw, "g-raw", memberId, generation, topic, 7, ""))
                    .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(commit(raw, "g-raw", memberId, generation, topic, 0, "m".repeat(5_000)))
                    .isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE);
            assertThat(commit(raw, "g-raw", memberId, generation + 3, topic, 0, ""))
                    .isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(commit(raw, "g-raw", "stranger", generation, topic, 0, "")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(raw, "g-raw", memberId, generation, topic, 0, "")).isEqualTo(Errors.NONE);
        }
        try (RawKafka raw = new RawKafka(cluster.bootstrapServers())) {
            String memberId = join(raw, "g-nosync", "", 10_000).memberId();
            int generation = join(raw, "g-nosync", memberId, 10_000).generationId();
            assertThat(commit(raw, "g-nosync", memberId, generation, topic, 0, ""))
                    .as("a commit before the assignment is in").isEqualTo(Errors.REBALANCE_IN_PROGRESS);
            // The member never sends SyncGroup: after its rebalance timeout it is out, and the group empties.
            try (Admin admin = clients.admin()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of("g-nosync"))
                        .all().get(30, TimeUnit.SECONDS).get("g-nosync").groupState() == GroupState.EMPTY);
            }
            assertThat(heartbeat(raw, "g-nosync", memberId, generation)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        }
        produce(topic, 0, 4);
        try (KafkaConsumer<String, String> consumer = clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "g-nosync", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(REBALANCED).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() == 4;
            });
        }
    }

    private static JoinGroupResponseData join(RawKafka raw, String group, String memberId, int sessionTimeoutMs)
            throws Exception {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        return (JoinGroupResponseData) raw.call(new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setSessionTimeoutMs(sessionTimeoutMs).setRebalanceTimeoutMs(8_000).setProtocolType("consumer")
                .setProtocols(protocols), (short) 9);
    }

    private static Errors heartbeat(RawKafka raw, String group, String memberId, int generation) throws Exception {
        return Errors.forCode(((HeartbeatResponseData) raw.call(new HeartbeatRequestData().setGroupId(group)
                .setMemberId(memberId).setGenerationId(generation), (short) 4)).errorCode());
    }

    private static Errors sync(RawKafka raw, String group, String memberId, int generation) throws Exception {
        return Errors.forCode(((SyncGroupResponseData) raw.call(new SyncGroupRequestData().setGroupId(group)
                .setMemberId(memberId).setGenerationId(generation), (short) 5)).errorCode());
    }

    private static Errors commit(RawKafka raw, String group, String memberId, int generation, String topic,
            int partition, String metadata) throws Exception {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group).setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic).setPartitions(
                List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition)
                        .setCommittedOffset(1).setCommittedMetadata(metadata))));
        OffsetCommitResponseData response = (OffsetCommitResponseData) raw.call(request, (short) 8);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private static Map<TopicPartition, Long> lag(Admin admin, Map<TopicPartition, OffsetAndMetadata> committed)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> lag = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, end) -> lag.put(tp, end.offset() - committed.get(tp).offset()));
        return lag;
    }

    /** Reads with a fresh member of {@code group}, commits what it read, and says what it saw first. */
    private static String firstValueSeen(String topic, String group, String reset) {
        try (KafkaConsumer<String, String> consumer = clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset))) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (seen.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            for (int i = 0; i < 3; i++) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            consumer.commitSync();
            return seen.isEmpty() ? null : seen.get(0).value();
        }
    }

    /** Records {@code from} to {@code to}, spread round-robin over the topic's partitions. */
    private static void produce(String topic, int from, int to) throws Exception {
        try (KafkaProducer<String, String> producer = clients.producer()) {
            int partitions = producer.partitionsFor(topic).size();
            for (int i = from; i < to; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, Integer.toString(i))).get();
            }
        }
    }

    private static Map<String, Object> withInstance(Map<String, Object> config, String instanceId) {
        Map<String, Object> with = new HashMap<>(config);
        with.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        return with;
    }

    private static ConsumerRebalanceListener recording(String name, List<String> events) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    events.add(name + " revoked " + partitions);
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    events.add(name + " assigned " + partitions);
                }
            }
        };
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = clients.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 2))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Set<TopicPartition> union(Collection<? extends Set<TopicPartition>> assignments) {
        return assignments.stream().flatMap(Set::stream).collect(Collectors.toSet());
    }

    private static void assertNoPartitionOwnedTwice(Collection<? extends Set<TopicPartition>> assignments) {
        List<TopicPartition> all = assignments.stream().flatMap(Set::stream).toList();
        assertThat(all).doesNotHaveDuplicates();
    }

    /**
     * Consumers of one group, each polling on its own thread and recording what it owns, as an application's poll
     * loop would.
     */
    static final class GroupMembers implements AutoCloseable {
        private final String topic;
        private final Map<String, Object> config;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final List<Member> members = new CopyOnWriteArrayList<>();

        GroupMembers(String topic, Map<String, Object> config) {
            this.topic = topic;
            this.config = config;
        }

        void start(int count) {
            for (int i = 0; i < count; i++) {
                Member member = new Member();
                members.add(member);
                member.loop = threads.submit(member::run);
            }
        }

        /** Closes the first {@code count} members as an application shutting down would. */
        void stop(int count) throws Exception {
            for (int i = 0; i < count; i++) {
                Member member = members.remove(0);
                member.running.set(false);
                member.loop.get(60, TimeUnit.SECONDS);
            }
        }

        List<Set<TopicPartition>> assignments() {
            return members.stream().map(m -> Set.copyOf(m.owned)).toList();
        }

        @Override
        public void close() throws Exception {
            stop(members.size());
            threads.shutdownNow();
        }

        final class Member {
            final AtomicBoolean running = new AtomicBoolean(true);
            final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
            Future<?> loop;

            void run() {
                try (KafkaConsumer<String, String> consumer = clients.consumer(config)) {
                    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                        @Override
                        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                            owned.removeAll(partitions);
                        }

                        @Override
                        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                            owned.addAll(partitions);
                        }

                        @Override
                        public void onPartitionsLost(Collection<TopicPartition> partitions) {
                            owned.removeAll(partitions);
                        }
                    });
                    while (running.get()) {
                        consumer.poll(Duration.ofMillis(200));
                    }
                }
            }
        }
    }
}
