package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * Kafka's ACLs enforced at the gateway's SASL_SSL listener for real clients: nothing without an ACL, produce with
 * WRITE, consume with READ on topic and group, a DENY over an ALLOW, transactional ids, admin operations, and
 * Metadata showing only what a user may describe. Each user of a test is its own, so the tests share the cluster's
 * ACLs without meeting.
 */
@SluiceCluster
class AclAuthorizationIT {

    private static final String ORDERS = "authz-orders";
    private static final String SECRET = "authz-secret";
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    static TestCluster cluster;

    @BeforeAll
    static void topics() throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createTopics(List.of(new NewTopic(ORDERS, 2, (short) 3), new NewTopic(SECRET, 1, (short) 3)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        SecureClients.admin(cluster).produce(SECRET, 0, "classified");
    }

    @Test
    void aUserWithoutAclsSeesNoTopicAndMayDoNothing() throws Exception {
        SecureClients carol = loggedIn(SecureClients.newUser(cluster, "carol"));

        assertThat(carol.topics()).doesNotContain(ORDERS, SECRET);
        // Refused at InitProducerId (no IDEMPOTENT_WRITE, no WRITE on any topic) or at the topic's Metadata.
        assertThatThrownBy(() -> carol.produce(ORDERS, 0, "x")).hasRootCauseInstanceOf(AuthorizationException.class);
        try (Admin admin = carol.admin()) {
            assertThatThrownBy(() -> admin.describeAcls(AclBindingFilter.ANY).values().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("carols", 1, (short) 1))).all()
                    .get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> admin.electLeaders(ElectionType.PREFERRED, Set.of(new TopicPartition(ORDERS, 0)))
                    .partitions().get(20, TimeUnit.SECONDS))
                    .as("electing leaders takes ALTER on the cluster")
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> admin.listPartitionReassignments().reassignments().get(20, TimeUnit.SECONDS))
                    .as("listing reassignments takes DESCRIBE on the cluster")
                    .hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
    }

    @Test
    void writeLetsAUserProduceAndReadOnTopicAndGroupLetsItConsume() throws Exception {
        SecureClients dave = loggedIn(SecureClients.newUser(cluster, "dave"));
        allow("User:dave", ResourceType.TOPIC, ORDERS, PatternType.LITERAL, AclOperation.WRITE);
        await().atMost(PROPAGATION).ignoreExceptions().untilAsserted(() -> dave.produce(ORDERS, 0, "from-dave"));
        assertThat(dave.topics()).contains(ORDERS).doesNotContain(SECRET);

        allow("User:dave", ResourceType.TOPIC, ORDERS, PatternType.LITERAL, AclOperation.READ);
        try (KafkaConsumer<String, String> consumer = dave.consumer("dave-group")) {
            consumer.subscribe(List.of(ORDERS));
            assertThatThrownBy(() -> pollUntilRecords(consumer)).isInstanceOf(GroupAuthorizationException.class);
        }

        allow("User:dave", ResourceType.GROUP, "dave-", PatternType.PREFIXED, AclOperation.READ);
        await().atMost(PROPAGATION).ignoreExceptions().untilAsserted(() -> {
            try (KafkaConsumer<String, String> consumer = dave.consumer("dave-group")) {
                consumer.subscribe(List.of(ORDERS));
                assertThat(pollUntilRecords(consumer)).isTrue();
            }
        });
        try (Admin admin = dave.admin()) {
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(new TopicPartition(ORDERS, 0),
                    RecordsToDelete.beforeOffset(0))).all().get(20, TimeUnit.SECONDS))
                    .as("deleting records takes DELETE on the topic")
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** Kafka's OffsetFetch under ACLs: a group's offsets of topics the user may not describe stay hidden. */
    @Test
    void aGroupsCommittedOffsetsShowOnlyTheTopicsTheUserMayDescribe() throws Exception {
        SecureClients heidi = loggedIn(SecureClients.newUser(cluster, "heidi"));
        allow("User:heidi", ResourceType.GROUP, "heidi-group", PatternType.LITERAL, AclOperation.READ);
        allow("User:heidi", ResourceType.TOPIC, ORDERS, PatternType.LITERAL, AclOperation.READ);
        TopicPartition orders = new TopicPartition(ORDERS, 0);
        TopicPartition secret = new TopicPartition(SECRET, 0);
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.alterConsumerGroupOffsets("heidi-group", Map.of(orders, new OffsetAndMetadata(1),
                    secret, new OffsetAndMetadata(1))).all().get(30, TimeUnit.SECONDS);
        }

        try (Admin admin = heidi.admin()) {
            await().atMost(PROPAGATION).ignoreExceptions().untilAsserted(() -> assertThat(
                    admin.listConsumerGroupOffsets("heidi-group").partitionsToOffsetAndMetadata()
                            .get(20, TimeUnit.SECONDS))
                    .containsOnlyKeys(orders));
        }
    }

    @Test
    void aDenyWinsOverAPrefixedAllow() throws Exception {
        SecureClients erin = loggedIn(SecureClients.newUser(cluster, "erin"));
        allow("User:erin", ResourceType.TOPIC, "authz-", PatternType.PREFIXED, AclOperation.ALL);
        await().atMost(PROPAGATION).until(() -> erin.topics().contains(SECRET));
        assertThat(erin.consume(SECRET, 0)).contains("classified");

        acl(new AccessControlEntry("User:erin", "*", AclOperation.READ, AclPermissionType.DENY),
                new ResourcePattern(ResourceType.TOPIC, SECRET, PatternType.LITERAL));

        await().atMost(PROPAGATION).untilAsserted(() -> assertThatThrownBy(() -> erin.consume(SECRET, 0))
                .isInstanceOf(TopicAuthorizationException.class));
        erin.produce(ORDERS, 1, "from-erin");
    }

    @Test
    void aTransactionalIdNeedsWriteOnIt() throws Exception {
        SecureClients frank = loggedIn(SecureClients.newUser(cluster, "frank"));
        allow("User:frank", ResourceType.TOPIC, ORDERS, PatternType.LITERAL, AclOperation.WRITE);
        Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "frank-tx");
        try (KafkaProducer<String, String> producer = frank.producer(transactional)) {
            assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }

        allow("User:frank", ResourceType.TRANSACTIONAL_ID, "frank-tx", PatternType.LITERAL, AclOperation.WRITE);
        await().atMost(PROPAGATION).ignoreExceptions().untilAsserted(() -> {
            try (KafkaProducer<String, String> producer = frank.producer(transactional)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(ORDERS, 0, null, "in-a-transaction"));
                producer.commitTransaction();
            }
        });
    }

    @Test
    void createOnTheClusterLetsAUserCreateTopicsAndDeleteLetsItDeleteThem() throws Exception {
        SecureClients grace = loggedIn(SecureClients.newUser(cluster, "grace"));
        allow("User:grace", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.CREATE);
        try (Admin admin = grace.admin()) {
            await().atMost(PROPAGATION).ignoreExceptions().untilAsserted(() -> admin
                    .createTopics(List.of(new NewTopic("grace-topic", 1, (short) 1))).all().get(20, TimeUnit.SECONDS));
            assertThatThrownBy(() -> admin.deleteTopics(List.of("grace-topic")).all().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);

            // As Kafka answers: topic by topic, the one it may delete goes, the other is refused.
            allow("User:grace", ResourceType.TOPIC, "grace-", PatternType.PREFIXED, AclOperation.DELETE);
            await().atMost(PROPAGATION).ignoreExceptions().untilAsserted(() -> {
                DeleteTopicsResult both = admin.deleteTopics(List.of("grace-topic", SECRET));
                assertThatThrownBy(() -> both.topicNameValues().get(SECRET).get(20, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
                both.topicNameValues().get("grace-topic").get(20, TimeUnit.SECONDS);
            });
        }
    }

    /** The user, once its credential has reached the gateway. */
    private static SecureClients loggedIn(SecureClients user) {
        await().atMost(PROPAGATION).until(() -> !user.refused());
        return user;
    }

    private static void allow(String principal, ResourceType type, String name, PatternType pattern,
            AclOperation operation) throws Exception {
        acl(new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW),
                new ResourcePattern(type, name, pattern));
    }

    private static void acl(AccessControlEntry entry, ResourcePattern pattern) throws Exception {
        try (Admin admin = SecureClients.admin(cluster).admin()) {
            admin.createAcls(List.of(new AclBinding(pattern, entry))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Polls until records come, for at most 20 s; what the consumer throws goes to the caller. */
    private static boolean pollUntilRecords(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!consumer.poll(Duration.ofMillis(500)).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
