package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sluice.cli.local.ClusterLayout;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.security.MemberCredential;
import io.sluice.testcluster.Offsets;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * Three coordinator replicas, one active. Killing the active one (SIGKILL) while a classic group and a consumer
 * protocol (KIP-848) group consume hands over to a standby within seconds: committed offsets and partition leaders are
 * as they were, the members of both carry on without a rebalance, SCRAM credentials and ACLs are kept, and a checker
 * over every record id finds none lost and none committed read again. A replica that comes back after the others went
 * on serves their state, not its stale files, once it takes over in turn; so does one that starts first and alone
 * after the others went on and stopped, once a second joins it. A replica paused (SIGSTOP) while active is replaced,
 * and once resumed it follows its successor instead of taking over again.
 */
@SluiceCluster(coordinators = 3, disruptive = true, networkNamespaces = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatorFailoverIT {

    static TestCluster cluster;

    private static final String TOPIC = "ledger-entries";
    private static final String GROUP = "ledger";
    private static final int PER_PHASE = 5_000;
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(15);

    @Test
    @Order(1)
    void killingTheActiveCoordinatorLosesNothingAndTheGroupCarriesOn(Admin admin) throws Exception {
        try (KafkaProducer<String, String> producer = cluster.clients().producer();
                CheckedGroup classic = new CheckedGroup(cluster, TOPIC, GROUP, "classic");
                CheckedGroup consumer = new CheckedGroup(cluster, TOPIC + "-kip848", GROUP + "-kip848", "consumer")) {
            List<CheckedGroup> groups = List.of(classic, consumer);
            Map<String, Map<TopicPartition, Long>> firstEnds = new TreeMap<>();
            Map<String, Integer> assignments = new TreeMap<>();
            for (CheckedGroup group : groups) {
                group.createTopic(admin);
                group.startMembers(2);
            }
            for (CheckedGroup group : groups) {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(stableMembers(admin, group.group())).isEqualTo(2));
                group.produce(producer, 0, PER_PHASE);
            }
            for (CheckedGroup group : groups) {
                firstEnds.put(group.group(), group.awaitCommittedToEnd(admin));
                assignments.put(group.group(), group.journal().assignments().size());
            }
            Map<String, String> leaders = cluster.leaders();
            ScramCredentialInfo credential = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("failover-user", credential,
                    "kept".getBytes(StandardCharsets.UTF_8)))).all().get(30, TimeUnit.SECONDS);
            AclBinding acl = new AclBinding(new ResourcePattern(ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    new AccessControlEntry("User:failover-user", "*", AclOperation.READ, AclPermissionType.ALLOW));
            admin.createAcls(List.of(acl)).all().get(30, TimeUnit.SECONDS);

            String killed = cluster.activeCoordinator().orElseThrow();
            cluster.kill(killed);
            long killedAt = System.currentTimeMillis();
            await().atMost(TAKEOVER_LIMIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.activeCoordinator().filter(c -> !c.equals(killed)).isPresent());
            for (CheckedGroup group : groups) {
                assertThat(Offsets.committed(admin, group.group())).as("committed offsets after the takeover")
                        .isEqualTo(firstEnds.get(group.group()));
            }
            long takeoverMs = System.currentTimeMillis() - killedAt;
            System.out.println(cluster.activeCoordinator().orElseThrow() + " took over from " + killed + " and served"
                    + " the committed offsets " + takeoverMs + " ms after the kill");
            assertThat(takeoverMs).isLessThan(TAKEOVER_LIMIT.toMillis());

            for (CheckedGroup group : groups) {
                group.produce(producer, PER_PHASE, 2 * PER_PHASE);
            }
            for (CheckedGroup group : groups) {
                group.awaitCommittedToEnd(admin);
                group.assertEveryIdProcessedAndNothingCommittedReRead(2 * PER_PHASE);
                assertThat(group.journal().assignments()).as(group.group() + ": no rebalance across the takeover")
                        .hasSize(assignments.get(group.group()));
            }
            assertThat(cluster.leaders()).as("no leadership moved: the new active coordinator kept every broker alive")
                    .isEqualTo(leaders);
            assertThat(cluster.aliveBrokers()).containsExactly(1, 2, 3);
            admin.createTopics(List.of(new NewTopic("created-after-takeover", 2, (short) 3))).all()
                    .get(30, TimeUnit.SECONDS);
            assertThat(admin.describeUserScramCredentials(List.of("failover-user")).description("failover-user")
                    .get(30, TimeUnit.SECONDS).credentialInfos()).as("SCRAM credentials after the takeover")
                    .containsExactly(credential);
            assertThat(admin.describeAcls(acl.toFilter()).values().get(30, TimeUnit.SECONDS))
                    .as("ACLs after the takeover").containsExactly(acl);

            cluster.start(killed);
            assertThat(cluster.activeCoordinator()).isPresent().isNotEqualTo(Optional.of(killed));
            given().baseUri(ClusterLayout.httpUrl(cluster.member(killed)))
                    .header(MemberCredential.HEADER, cluster.memberCredential().token())
                    .get(CoordinatorContract.SECURITY_PATH)
                    .then().statusCode(503);
        }
    }

    @Test
    @Order(2)
    void aReplicaBackFromAwayServesTheCurrentStateNotItsStaleFiles(Admin admin) throws Exception {
        Map<TopicPartition, Long> ledger = Offsets.committed(admin, GROUP);
        admin.createTopics(List.of(new NewTopic("scratch", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
        commit(admin, "old-group", 7);

        String away = cluster.activeCoordinator().orElseThrow();
        cluster.kill(away);
        await().atMost(TAKEOVER_LIMIT).until(() -> cluster.activeCoordinator().filter(c -> !c.equals(away))
                .isPresent());
        String second = cluster.activeCoordinator().orElseThrow();
        // While the first is away: what its files still hold is deleted or changed.
        admin.deleteTopics(List.of("scratch")).all().get(30, TimeUnit.SECONDS);
        admin.deleteConsumerGroups(List.of("old-group")).all().get(30, TimeUnit.SECONDS);
        commit(admin, "new-group", 11);

        cluster.start(away);
        // The third replica rejoins too, so that the one back from away is the oldest once the second goes.
        String third = cluster.layout().coordinators().stream().map(m -> m.name())
                .filter(n -> !n.equals(away) && !n.equals(second)).findFirst().orElseThrow();
        cluster.stop(third);
        cluster.start(third);
        cluster.kill(second);
        await().atMost(TAKEOVER_LIMIT).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.activeCoordinator().filter(away::equals).isPresent());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("scratch")
                    .contains(TOPIC, "created-after-takeover");
            assertThat(admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)).extracting(ConsumerGroupListing::groupId)
                    .doesNotContain("old-group").contains(GROUP, "new-group");
        });
        assertThat(Offsets.committed(admin, "new-group")).containsEntry(new TopicPartition(TOPIC, 0), 11L);
        assertThat(Offsets.committed(admin, GROUP)).isEqualTo(ledger);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.aliveBrokers().equals(Set.of(1, 2, 3)));
        cluster.start(second);
    }

    @Test
    @Order(3)
    void aReplicaRestartedFirstAndAloneAfterTheOthersWentOnServesTheirStateNotItsOlderFiles(Admin admin)
            throws Exception {
        admin.createTopics(List.of(new NewTopic("known-to-all", 1, (short) 3), new NewTopic("kept-by-all", 1,
                (short) 3))).all().get(30, TimeUnit.SECONDS);
        List<String> replicas = cluster.layout().coordinators().stream().map(m -> m.name()).toList();
        String away = replicas.get(0);
        cluster.stop(away);
        await().atMost(TAKEOVER_LIMIT).until(() -> cluster.activeCoordinator().filter(c -> !c.equals(away))
                .isPresent());
        // While it is away: a topic it knows is deleted, one it does not know is created; then the others stop.
        admin.deleteTopics(List.of("known-to-all")).all().get(30, TimeUnit.SECONDS);
        admin.createTopics(List.of(new NewTopic("created-while-away", 1, (short) 3))).all()
                .get(30, TimeUnit.SECONDS);
        cluster.stop(replicas.get(1));
        cluster.stop(replicas.get(2));

        // Started first and alone, it cannot tell whether its files are the newest: it neither serves nor is ready.
        cluster.launch(away);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.logTail(away, 200)
                .contains("waiting for a majority of the 3 replicas to tell whose state is newest"));
        assertThat(cluster.ready(away)).isFalse();
        assertThat(cluster.activeCoordinator()).isEmpty();

        cluster.start(replicas.get(1));
        await().atMost(TAKEOVER_LIMIT).until(() -> cluster.activeCoordinator().isPresent());
        assertThat(cluster.clusterView().orElseThrow().path("topics")).extracting(t -> t.path("name").asText())
                .as("topics of the active coordinator " + cluster.activeCoordinator().orElseThrow())
                .contains("created-while-away", "kept-by-all").doesNotContain("known-to-all");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("created-while-away")
                .doesNotContain("known-to-all"));
        cluster.start(replicas.get(2));
    }

    @Test
    @Order(4)
    void aReplicaResumedFromAPauseFollowsTheOneThatTookOverInsteadOfTakingOverAgain() throws Exception {
        String paused = cluster.activeCoordinator().orElseThrow();
        Map<String, String> leaders = cluster.leaders();

        // Longer than the replicas' failure detection (5 s, and 1 s to verify): the others elect one of themselves.
        cluster.pause(paused, Duration.ofSeconds(12));
        await().atMost(TAKEOVER_LIMIT).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.activeCoordinators().size() == 1 && !cluster.activeCoordinator().orElseThrow()
                        .equals(paused));
        String successor = cluster.activeCoordinator().orElseThrow();

        // The views merge within seconds of the resume; the resumed replica must not lead the merged view.
        long watchUntil = System.currentTimeMillis() + 25_000;
        while (System.currentTimeMillis() < watchUntil) {
            assertThat(cluster.activeCoordinators()).as("active replicas after " + paused + " resumed")
                    .containsExactly(successor);
            Thread.sleep(500);
        }
        assertThat(cluster.ready(paused)).as(paused + " back as a standby").isTrue();
        assertThat(cluster.leaders()).as("no leadership moved: the pause is not the brokers' failure").isEqualTo(leaders);
        assertThat(cluster.aliveBrokers()).containsExactly(1, 2, 3);
    }

    private static void commit(Admin admin, String group, long offset) throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(offset)))
                .all().get(30, TimeUnit.SECONDS);
    }

    private static int stableMembers(Admin admin, String groupId) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                .get(10, TimeUnit.SECONDS);
        return group.groupState().toString().equals("Stable") ? group.members().size() : 0;
    }
}
