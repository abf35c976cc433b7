package io.sluice.systemtests;

import static io.sluice.systemtests.CheckedGroup.PARTITIONS;
import static io.sluice.systemtests.CheckedGroup.SESSION_TIMEOUT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.sluice.testcluster.Offsets;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * Three group members in processes of their own share six partitions; one is killed (SIGKILL) and the coordinator is
 * restarted while they consume. A checker over every record id proves at-least-once without re-reading anything
 * committed, and the committed offsets survive a whole-cluster restart.
 */
@SluiceCluster(disruptive = true)
class ConsumerGroupFailoverIT {

    static TestCluster cluster;

    private static final String TOPIC = "checked";
    private static final String GROUP = "checkers";
    private static final int PER_PHASE = 10_000;

    @Test
    void killedMemberAndCoordinatorRestartLoseNothingAndReReadNothingCommitted(Admin admin) throws Exception {
        try (KafkaProducer<String, String> producer = cluster.clients().producer();
                CheckedGroup group = new CheckedGroup(cluster, TOPIC, GROUP, "classic")) {
            group.createTopic(admin);
            group.startMembers(3);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(assignedPartitions(admin, 3))
                    .hasSize(PARTITIONS));

            group.produce(producer, 0, PER_PHASE);
            group.awaitProcessed(PER_PHASE / 2, Duration.ofSeconds(60));
            group.killMember(0);
            long killedAt = System.currentTimeMillis();
            await().atMost(Duration.ofMillis(SESSION_TIMEOUT_MS + 20_000)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(assignedPartitions(admin, 2)).hasSize(PARTITIONS));
            long movedAfterMs = System.currentTimeMillis() - killedAt;
            System.out.println("partitions of the killed member moved after " + movedAfterMs + " ms");
            assertThat(movedAfterMs).isLessThan(SESSION_TIMEOUT_MS + 10_000L);

            group.produce(producer, PER_PHASE, 2 * PER_PHASE);
            cluster.stop("coordinator");
            cluster.start("coordinator");
            group.produce(producer, 2 * PER_PHASE, 3 * PER_PHASE);

            int total = 3 * PER_PHASE;
            group.awaitProcessed(total, Duration.ofSeconds(120));
            Map<TopicPartition, Long> ends = group.awaitCommittedToEnd(admin);
            group.assertEveryIdProcessedAndNothingCommittedReRead(total);

            cluster.restart();
            assertThat(Offsets.committed(admin, GROUP)).as("committed offsets after a whole-cluster restart")
                    .isEqualTo(ends);
            group.assertCommitsNeverWentBack();
        }
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
}
