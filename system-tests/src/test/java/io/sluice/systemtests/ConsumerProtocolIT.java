package io.sluice.systemtests;

import static io.sluice.systemtests.CheckedGroup.PARTITIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The consumer group protocol (KIP-848, {@code group.protocol=consumer}): members in processes of their own share
 * partitions the coordinator assigns, one is killed (SIGKILL) and the others take its partitions once its session
 * ends, with nothing lost and nothing committed read again; a classic group reads the same topic beside it.
 */
@SluiceCluster
class ConsumerProtocolIT {

    static TestCluster cluster;

    private static final String TOPIC = "assigned";
    private static final String GROUP = "assigned-readers";
    private static final int PER_PHASE = 10_000;
    /** The coordinator's consumer session timeout (Kafka's group.consumer.session.timeout.ms default). */
    private static final long SESSION_TIMEOUT_MS = 45_000;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void membersShareTheAssignedPartitionsAndTakeOverAKilledMembersWithoutReReadingCommitted(Admin admin)
            throws Exception {
        try (KafkaProducer<String, String> producer = cluster.clients().producer();
                CheckedGroup group = new CheckedGroup(cluster, TOPIC, GROUP, "consumer")) {
            group.createTopic(admin);
            group.startMembers(3);
            // the group exists once the first member's heartbeat arrives
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(assignedPartitions(admin, 3))
                            .hasSize(PARTITIONS));

            group.produce(producer, 0, PER_PHASE);
            group.awaitProcessed(PER_PHASE / 2, Duration.ofSeconds(60));
            group.killMember(0);
            long killedAt = System.currentTimeMillis();
            await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS + 30_000)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(assignedPartitions(admin, 2)).hasSize(PARTITIONS));
            long movedAfterMs = System.currentTimeMillis() - killedAt;
            System.out.println("partitions of the killed member moved after " + movedAfterMs + " ms");
            assertThat(movedAfterMs).isGreaterThanOrEqualTo(SESSION_TIMEOUT_MS - 5_000);

            group.produce(producer, PER_PHASE, 2 * PER_PHASE);
            int total = 2 * PER_PHASE;
            group.awaitProcessed(total, Duration.ofSeconds(120));
            group.awaitCommittedToEnd(admin);
            group.assertEveryIdProcessedAndNothingCommittedReRead(total);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void classicAndConsumerGroupsReadSideBySideAndEachKeepsItsProtocol(Admin admin) throws Exception {
        String topic = "side-by-side";
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 3))).all()
                .get(30, TimeUnit.SECONDS);
        List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
        try {
            consumers.add(member("side-consumer", "consumer", topic));
            consumers.add(member("side-classic", "classic", topic));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> consumers.forEach(c -> {
                c.poll(Duration.ofMillis(100));
                assertThat(c.assignment()).hasSize(2);
            }));

            Map<String, GroupListing> listed = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .collect(Collectors.toMap(GroupListing::groupId, g -> g));
            assertThat(listed.get("side-consumer").type()).contains(GroupType.CONSUMER);
            assertThat(listed.get("side-classic").type()).contains(GroupType.CLASSIC);
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(
                    List.of("side-consumer", "side-classic")).all().get(30, TimeUnit.SECONDS);
            assertThat(described.get("side-consumer").type()).isEqualTo(GroupType.CONSUMER);
            assertThat(described.get("side-consumer").groupState()).isEqualTo(GroupState.STABLE);
            assertThat(described.get("side-consumer").members()).singleElement()
                    .satisfies(m -> assertThat(m.assignment().topicPartitions()).hasSize(2));
            assertThat(described.get("side-classic").type()).isEqualTo(GroupType.CLASSIC);

            // a member of the other protocol is refused while a group has members
            try (KafkaConsumer<String, String> intruder = member("side-consumer", "classic", topic)) {
                assertThatThrownBy(() -> intruder.poll(Duration.ofSeconds(10)))
                        .isInstanceOf(InconsistentGroupProtocolException.class);
            }
            try (KafkaConsumer<String, String> intruder = member("side-classic", "consumer", topic)) {
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 50; i++) {
                        intruder.poll(Duration.ofMillis(200));
                    }
                }).isInstanceOf(GroupIdNotFoundException.class);
            }
        } finally {
            consumers.forEach(KafkaConsumer::close);
        }
    }

    private static KafkaConsumer<String, String> member(String group, String protocol, String topic) {
        KafkaConsumer<String, String> consumer = cluster.clients().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol));
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** The partitions assigned in the group, once it is stable with exactly {@code members} members. */
    private static Set<TopicPartition> assignedPartitions(Admin admin, int members) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP)
                .get(10, TimeUnit.SECONDS);
        assertThat(group.type()).isEqualTo(GroupType.CONSUMER);
        assertThat(group.members()).hasSize(members);
        assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
        List<TopicPartition> assigned = group.members().stream().map(MemberDescription::assignment)
                .flatMap(a -> a.topicPartitions().stream()).toList();
        assertThat(assigned).doesNotHaveDuplicates();
        return Set.copyOf(assigned);
    }
}
