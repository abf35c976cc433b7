package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three group members in processes of their own share six partitions; one is killed (SIGKILL) and the coordinator is
 * restarted while they consume. A checker over every record id proves at-least-once without re-reading anything
 * committed, and the committed offsets survive a whole-cluster restart.
 */
class ConsumerGroupFailoverIT {

    @RegisterExtension
    static final SluiceClusterExtension cluster = SluiceClusterExtension.withBrokers(3);

    private static final String TOPIC = "checked";
    private static final String GROUP = "checkers";
    private static final int PARTITIONS = 6;
    private static final int SESSION_TIMEOUT_MS = 10_000;
    private static final int PER_PHASE = 10_000;

    private final List<Process> members = new ArrayList<>();
    private final List<Path> journals = new ArrayList<>();

    @AfterEach
    void stopMembers() {
        members.forEach(Process::destroyForcibly);
    }

    @Test
    void killedMemberAndCoordinatorRestartLoseNothingAndReReadNothingCommitted() throws Exception {
        try (Admin admin = Clients.admin(cluster.bootstrapServers());
                KafkaProducer<String, String> producer = Clients.producer(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3))).all().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                startMember(i);
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(assignedPartitions(admin, 3))
                    .hasSize(PARTITIONS));

            produce(producer, 0, PER_PHASE);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> MemberJournal.read(journals).ids().size() >= PER_PHASE / 2);
            members.get(0).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killedAt = System.currentTimeMillis();
            await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS + 20_000)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(assignedPartitions(admin, 2)).hasSize(PARTITIONS));
            long movedAfterMs = System.currentTimeMillis() - killedAt;
            System.out.println("partitions of the killed member moved after " + movedAfterMs + " ms");
            assertThat(movedAfterMs).isLessThan(SESSION_TIMEOUT_MS + 10_000L);

            produce(producer, PER_PHASE, 2 * PER_PHASE);
            cluster.stop("coordinator");
            cluster.start("coordinator");
            produce(producer, 2 * PER_PHASE, 3 * PER_PHASE);

            int total = 3 * PER_PHASE;
            await().atMost(Duration.ofSeconds(120)).until(() -> MemberJournal.read(journals).ids().size() >= total);
            Map<TopicPartition, Long> ends = endOffsets(admin);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(committed(admin)).isEqualTo(ends));

            MemberJournal journal = MemberJournal.read(journals);
            assertThat(journal.ids()).hasSize(total)
                    .containsAll(java.util.stream.IntStream.range(0, total).boxed().toList());
            assertThat(journal.committedReRead()).as("records re-read although committed").isEmpty();

            cluster.restart();
            assertThat(committed(admin)).as("committed offsets after a whole-cluster restart").isEqualTo(ends);
        }
    }

    private void startMember(int index) throws IOException {
        Path journal = cluster.dataDir().resolve("member-" + index + ".journal");
        journals.add(journal);
        members.add(GroupMemberMain.start(cluster, TOPIC, GROUP, SESSION_TIMEOUT_MS, journal));
    }

    private static void produce(KafkaProducer<String, String> producer, int from, int to) {
        for (int id = from; id < to; id++) {
            producer.send(new ProducerRecord<>(TOPIC, "k" + id, Integer.toString(id)));
        }
        producer.flush();
    }

    /** The partitions assigned in the group, once it is stable with exactly {@code members} members. */
    private static Set<TopicPartition> assignedPartitions(Admin admin, int members) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).describedGroups().get(GROUP)
                .get(10, TimeUnit.SECONDS);
        assertThat(group.members()).hasSize(members);
        assertThat(group.groupState()).hasToString("Stable");
        return group.members().stream().map(MemberDescription::assignment)
                .flatMap(a -> a.topicPartitions().stream()).collect(Collectors.toSet());
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        return Clients.endOffsets(admin, TOPIC, PARTITIONS);
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        return Clients.committed(admin, GROUP);
    }
}
