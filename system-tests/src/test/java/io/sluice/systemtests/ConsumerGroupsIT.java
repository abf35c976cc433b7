package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
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
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Consumer groups with real KafkaConsumers in one JVM: assignors, rebalances, static membership, offsets, Admin. */
class ConsumerGroupsIT {

    @RegisterExtension
    static final SluiceClusterExtension cluster = SluiceClusterExtension.withBrokers(3);

    private static final Duration REBALANCED = Duration.ofSeconds(60);

    @ParameterizedTest
    @ValueSource(classes = {RangeAssignor.class, RoundRobinAssignor.class, StickyAssignor.class,
            CooperativeStickyAssignor.class})
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

            try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
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

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers())) {
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
                try (KafkaConsumer<String, String> consumer = Clients.consumer(cluster.bootstrapServers(), config)) {
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
