package io.sluice.operator.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.cluster.ClusterSpec;
import io.sluice.operator.cluster.SecretData;
import io.sluice.operator.cluster.SecuritySpec;
import io.sluice.operator.mock.MockApiServer;
import io.sluice.operator.resource.Conditions;
import io.sluice.operator.user.User;
import io.sluice.operator.user.UserSpec;
import io.sluice.testcluster.TestCluster;
import io.sluice.testcluster.quarkus.InjectSluiceCluster;
import io.sluice.testcluster.quarkus.WithSluiceCluster;

/**
 * The operator against fabric8's Kubernetes mock API server and a real Sluice cluster: every effect on topics (and, in
 * {@link Users}, on users) is checked with kafka-clients' Admin against the cluster itself.
 */
@QuarkusTest
@QuarkusTestResource(value = MockApiServer.class, restrictToAnnotatedClass = true)
@WithSluiceCluster(brokers = 1, bootstrapProperty = "sluice.operator.bootstrap-override", secureBootstrapProperty = "sluice.operator.secure-bootstrap-override")
class TopicReconcilerIT {

    private static final String NAMESPACE = "streaming";
    private static final String OTHER_NAMESPACE = "payments";
    private static final String CLUSTER = "sluice";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @InjectSluiceCluster
    TestCluster sluice;

    @Inject
    KubernetesClient client;

    private Admin admin;

    @BeforeEach
    void openAdmin() {
        admin = sluice.clients().admin();
    }

    @AfterEach
    void closeAdmin() {
        admin.close();
    }

    @Test
    void aNewTopicHasWhatItAsksForAndItsResourceIsLeftAsWritten() throws Exception {
        cluster();
        Topic topic = client.resource(topic(NAMESPACE, "orders", 3, Map.of("retention.ms", "3600000"))).create();

        Topic ready = awaitReady(topic);

        TopicDescription description = describe("orders");
        assertThat(description.partitions()).hasSize(3);
        assertThat(config("orders").get("retention.ms").value()).isEqualTo("3600000");
        assertThat(ready.getStatus().getTopicId()).isEqualTo(description.topicId().toString());
        assertThat(ready.getStatus().getPartitions()).isEqualTo(3);
        // The operator added its finalizer and wrote the status: neither may touch the spec.
        assertThat(ready.getFinalizers()).isNotEmpty();
        assertThat(ready.getSpec().getPartitions()).isEqualTo(3);
        assertThat(ready.getSpec().getConfig()).containsExactly(Map.entry("retention.ms", "3600000"));
        assertThat(ready.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void partitionsGrow() throws Exception {
        cluster();
        Topic topic = awaitReady(client.resource(topic(NAMESPACE, "clicks", 1, Map.of())).create());

        editSpec(topic, spec -> spec.setPartitions(4));

        await().atMost(WAIT).untilAsserted(() -> assertThat(describe("clicks").partitions()).hasSize(4));
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(topic).getStatus().getPartitions()).isEqualTo(4));
    }

    @Test
    void partitionDecreaseIsRefusedWithAConditionAndNothingOfTheSpecIsApplied() throws Exception {
        cluster();
        Topic topic = awaitReady(client.resource(topic(NAMESPACE, "payments", 3, Map.of())).create());

        editSpec(topic, spec -> {
            spec.setPartitions(2);
            spec.setConfig(Map.of("retention.ms", "1000"));
        });

        Condition refused = awaitCondition(topic, "PartitionDecreaseNotSupported");
        assertThat(refused.getStatus()).isEqualTo("False");
        assertThat(refused.getMessage()).contains("at least 3");
        assertThat(describe("payments").partitions()).hasSize(3);
        assertThat(config("payments").get("retention.ms").source())
                .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    @Test
    void replicationFactorChangeIsRefusedWithACondition() throws Exception {
        cluster();
        Topic wanted = topic(NAMESPACE, "audit", 1, Map.of());
        wanted.getSpec().setReplicas(1);
        Topic topic = awaitReady(client.resource(wanted).create());

        editSpec(topic, spec -> spec.setReplicas(3));

        assertThat(awaitCondition(topic, "ReplicationFactorChangeNotSupported").getMessage())
                .contains("set spec.replicas back to 1");
    }

    @Test
    void configChangesAreApplied() throws Exception {
        cluster();
        Topic topic = awaitReady(client.resource(topic(NAMESPACE, "metrics", 1,
                Map.of("retention.ms", "60000", "max.message.bytes", "2000000"))).create());

        editSpec(topic, spec -> spec.setConfig(Map.of("retention.ms", "120000", "cleanup.policy", "compact")));

        await().atMost(WAIT).untilAsserted(() -> {
            Config config = config("metrics");
            assertThat(config.get("retention.ms").value()).isEqualTo("120000");
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("max.message.bytes").source())
                    .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });
    }

    @Test
    void manualDriftIsCorrected() throws Exception {
        cluster();
        awaitReady(client.resource(topic(NAMESPACE, "ledger", 2, Map.of("retention.ms", "60000"))).create());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "ledger");

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("retention.bytes", "1024"), AlterConfigOp.OpType.SET))))
                .all().get(10, TimeUnit.SECONDS);

        await().atMost(WAIT).untilAsserted(() -> {
            Config config = config("ledger");
            assertThat(config.get("retention.ms").value()).isEqualTo("60000");
            assertThat(config.get("retention.bytes").source())
                    .isNotEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        });

        admin.deleteTopics(List.of("ledger")).all().get(10, TimeUnit.SECONDS);

        // Until the operator has recreated it, describing the topic fails with UNKNOWN_TOPIC_OR_PARTITION.
        await().atMost(WAIT).ignoreExceptions()
                .untilAsserted(() -> assertThat(describe("ledger").partitions()).hasSize(2));
    }

    @Test
    void deletingTheResourceDeletesTheTopic() throws Exception {
        cluster();
        Topic topic = awaitReady(client.resource(topic(NAMESPACE, "sessions", 1, Map.of())).create());
        assertThat(topicNames()).contains("sessions");

        client.resource(topic).delete();

        await().atMost(WAIT).untilAsserted(() -> assertThat(topicNames()).doesNotContain("sessions"));
        await().atMost(WAIT).until(() -> client.resource(topic).get() == null);
    }

    @Test
    void unknownConfigKeyIsRefusedWithACondition() {
        cluster();
        Topic topic = client.resource(topic(NAMESPACE, "typo", 1, Map.of("retention.msec", "1000"))).create();

        Condition refused = awaitCondition(topic, "InvalidConfig");
        assertThat(refused.getMessage()).contains("retention.msec");
    }

    @Test
    void missingClusterIsReportedAndDeletionIsNotBlocked() {
        Topic wanted = topic(NAMESPACE, "orphan", 1, Map.of());
        wanted.getMetadata().getLabels().put(Topic.CLUSTER_LABEL, "no-such-cluster");
        Topic topic = client.resource(wanted).create();

        assertThat(awaitCondition(topic, "ClusterNotFound").getMessage()).contains("no-such-cluster");

        client.resource(topic).delete();
        await().atMost(WAIT).until(() -> client.resource(topic).get() == null);
    }

    @Test
    void topicInAnotherNamespaceIsManagedAndASecondResourceForItConflicts() throws Exception {
        cluster();
        namespace(OTHER_NAMESPACE);
        Topic first = topic(OTHER_NAMESPACE, "invoices", 2, Map.of());
        first.getMetadata().getLabels().put(Topic.CLUSTER_NAMESPACE_LABEL, NAMESPACE);
        awaitReady(client.resource(first).create());
        assertThat(describe("invoices").partitions()).hasSize(2);

        Topic second = topic(NAMESPACE, "invoices-copy", 5, Map.of());
        second.getSpec().setTopicName("invoices");
        second = client.resource(second).create();

        assertThat(awaitCondition(second, "ResourceConflict").getMessage())
                .contains(OTHER_NAMESPACE + "/invoices");
        assertThat(describe("invoices").partitions()).hasSize(2);
        List<Topic> ofCluster = client.resources(Topic.class).inAnyNamespace()
                .withLabel(Topic.CLUSTER_LABEL, CLUSTER).list().getItems();
        assertThat(ofCluster).extracting(t -> t.getMetadata().getName()).contains("invoices", "invoices-copy");

        client.resource(second).delete();
        await().atMost(WAIT).until(() -> client.resources(Topic.class).inNamespace(NAMESPACE)
                .withName("invoices-copy").get() == null);
        assertThat(topicNames()).contains("invoices");
    }

    @Test
    void deletingTheOwnerHandsTheTopicWithItsRecordsToTheResourceWaitingForIt() throws Exception {
        cluster();
        Topic owner = awaitReady(client.resource(topic(NAMESPACE, "receipts", 2, Map.of())).create());
        String topicId = describe("receipts").topicId().toString();
        List<String> written = produce("receipts", 10);
        Topic wanted = topic(NAMESPACE, "receipts-v2", 2, Map.of("retention.ms", "7200000"));
        wanted.getSpec().setTopicName("receipts");
        Topic waiting = client.resource(wanted).create();
        awaitCondition(waiting, "ResourceConflict");

        client.resource(owner).delete();
        await().atMost(WAIT).until(() -> client.resource(owner).get() == null);

        awaitReady(waiting);
        assertThat(config("receipts").get("retention.ms").value()).isEqualTo("7200000");
        assertThat(describe("receipts").topicId().toString()).as("the same topic, not a new one").isEqualTo(topicId);
        assertThat(read("receipts", written.size())).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void aDeletionWaitsForAnUnreachableClusterOnlyUntilTheFinalizerTimeout() throws Exception {
        cluster();
        Topic topic = awaitReady(client.resource(topic(NAMESPACE, "stranded", 1, Map.of())).create());
        sluice.stop("gateway");
        try {
            client.resource(topic).delete();

            assertThat(awaitCondition(topic, "DeletePending").getMessage()).contains("released anyway at");
            await().atMost(WAIT).until(() -> client.resource(topic).get() == null);
        } finally {
            sluice.start("gateway");
        }
        assertThat(topicNames()).contains("stranded");
    }

    @Test
    void unmanagedResourceIsDetachedFromItsTopic() throws Exception {
        cluster();
        Topic topic = awaitReady(client.resource(topic(NAMESPACE, "archive", 1, Map.of())).create());

        patch(topic, "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"" + Topic.MANAGED_ANNOTATION
                + "\":\"false\"}}", "{\"op\":\"replace\",\"path\":\"/spec/partitions\",\"value\":6}");
        awaitCondition(topic, "Unmanaged");
        client.resource(topic).delete();

        await().atMost(WAIT).until(() -> client.resource(topic).get() == null);
        assertThat(topicNames()).contains("archive");
        assertThat(describe("archive").partitions()).hasSize(1);
    }

    private void cluster() {
        namespace(NAMESPACE);
        if (client.resources(Cluster.class).inNamespace(NAMESPACE).withName(CLUSTER).get() == null) {
            Cluster cluster = new Cluster();
            cluster.getMetadata().setName(CLUSTER);
            cluster.getMetadata().setNamespace(NAMESPACE);
            client.resource(cluster).create();
        }
    }

    /**
     * Users of a secured Cluster resource that stands for the test cluster: its Secrets hold the test cluster's CA,
     * gateway certificate and admin password (the operator keeps Secrets it finds), and the operator reaches it at the
     * gateway's SASL_SSL listener as {@code admin}.
     */
    @Nested
    class Users {

        private static final String SECURED = "secured";

        @Test
        void aScramUserLogsInWithItsSecretAndLosesItsCredentialAclsAndQuotasWithItsResource() throws Exception {
            securedCluster();
            User user = new User();
            user.getMetadata().setName("it-reader");
            user.getMetadata().setNamespace(NAMESPACE);
            user.getMetadata().setLabels(Map.of(Topic.CLUSTER_LABEL, SECURED));
            user.setSpec(new UserSpec());
            user.getSpec().getAuthentication().setType(UserSpec.SCRAM_SHA_512);
            UserSpec.AclRule reads = new UserSpec.AclRule();
            reads.setResource(new UserSpec.AclResource());
            reads.getResource().setType("topic");
            reads.getResource().setName("it-reads-");
            reads.getResource().setPatternType("prefix");
            reads.setOperations(List.of("Read", "Describe"));
            user.getSpec().getAuthorization().setAcls(List.of(reads));
            user.getSpec().setQuotas(new UserSpec.Quotas());
            user.getSpec().getQuotas().setProducerByteRate(1_048_576L);
            user.getSpec().getQuotas().setRequestPercentage(55);
            client.resource(user).create();

            await().atMost(WAIT).untilAsserted(() -> {
                User current = client.resources(User.class).inNamespace(NAMESPACE).withName("it-reader").get();
                assertThat(current.getStatus()).isNotNull();
                assertThat(Conditions.find(current.getStatus().getConditions(), Conditions.READY))
                        .hasValueSatisfying(c -> assertThat(c.getStatus()).as(c.getMessage()).isEqualTo("True"));
            });
            assertThat(admin.describeUserScramCredentials(List.of("it-reader")).description("it-reader")
                    .get(10, TimeUnit.SECONDS).credentialInfos())
                    .extracting(ScramCredentialInfo::mechanism).containsExactly(ScramMechanism.SCRAM_SHA_512);
            AclBindingFilter itsAcls = new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:it-reader", null, AclOperation.ANY, AclPermissionType.ANY));
            assertThat(admin.describeAcls(itsAcls).values().get(10, TimeUnit.SECONDS))
                    .extracting(b -> b.pattern().name() + " " + b.pattern().patternType() + " "
                            + b.entry().operation() + " " + b.entry().permissionType())
                    .containsExactlyInAnyOrder("it-reads- PREFIXED READ ALLOW", "it-reads- PREFIXED DESCRIBE ALLOW");
            assertThat(quotas("it-reader")).isEqualTo(Map.of("producer_byte_rate", 1_048_576.0,
                    "request_percentage", 55.0));
            Secret secret = client.secrets().inNamespace(NAMESPACE).withName("it-reader").get();
            // Gateways copy credentials from the coordinator every second: the login works within a few.
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                try (Admin asUser = Admin.create(saslSsl(SecretData.get(secret, "sasl.jaas.config")))) {
                    // Logged in: the answer is filtered to what the user may see (topics it-reads-*: none).
                    assertThat(asUser.listTopics().names().get(20, TimeUnit.SECONDS)).isEmpty();
                }
            });

            client.resources(User.class).inNamespace(NAMESPACE).withName("it-reader")
                    .patch(PatchContext.of(PatchType.JSON),
                            "[{\"op\":\"replace\",\"path\":\"/spec/quotas\",\"value\":{\"consumerByteRate\":2048}}]");
            await().atMost(WAIT).untilAsserted(() -> assertThat(quotas("it-reader")).as("the dropped quotas removed")
                    .isEqualTo(Map.of("consumer_byte_rate", 2048.0)));

            client.resources(User.class).inNamespace(NAMESPACE).withName("it-reader").delete();

            await().atMost(WAIT).until(
                    () -> client.resources(User.class).inNamespace(NAMESPACE).withName("it-reader").get() == null);
            assertThat(client.secrets().inNamespace(NAMESPACE).withName("it-reader").get()).isNull();
            assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("it-reader"))
                    .description("it-reader").get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
            assertThat(admin.describeAcls(itsAcls).values().get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(quotas("it-reader")).isEmpty();
        }

        /** The quotas of the entity {@code user=<user>} alone, as the cluster describes them. */
        private Map<String, Double> quotas(String user) throws Exception {
            ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, user));
            return admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                    List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, user))))
                    .entities().get(10, TimeUnit.SECONDS).getOrDefault(entity, Map.of());
        }

        private void securedCluster() throws Exception {
            namespace(NAMESPACE);
            Path tls = sluice.layout().tlsDir();
            String ca = Files.readString(tls.resolve("ca.crt"));
            secret("secured-cluster-ca", Map.of("ca.crt", ca, "ca.key", Files.readString(tls.resolve("ca.key"))));
            secret("secured-gateway-tls", Map.of("tls.crt", Files.readString(tls.resolve("gateway.crt")),
                    "tls.key", Files.readString(tls.resolve("gateway.key")), "ca.crt", ca));
            secret("secured-admin", Map.of("password", TestCluster.ADMIN_PASSWORD));
            if (client.resources(Cluster.class).inNamespace(NAMESPACE).withName(SECURED).get() == null) {
                Cluster cluster = new Cluster();
                cluster.getMetadata().setName(SECURED);
                cluster.getMetadata().setNamespace(NAMESPACE);
                cluster.setSpec(new ClusterSpec());
                cluster.getSpec().setSecurity(new SecuritySpec());
                client.resource(cluster).create();
            }
        }

        private void secret(String name, Map<String, String> values) {
            client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                    .endMetadata().withData(SecretData.encode(values)).build()).createOr(NonDeletingOperation::update);
        }

        private Properties saslSsl(String jaasConfig) throws Exception {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sluice.secureBootstrapServers());
            props.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            props.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            props.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig);
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, Files.readString(sluice.caCertificate()));
            return props;
        }
    }

    private void namespace(String name) {
        if (client.namespaces().withName(name).get() == null) {
            client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
    }

    private static Topic topic(String namespace, String name, int partitions, Map<String, String> config) {
        Topic topic = new Topic();
        topic.getMetadata().setName(name);
        topic.getMetadata().setNamespace(namespace);
        topic.getMetadata().setLabels(new java.util.HashMap<>(Map.of(Topic.CLUSTER_LABEL, CLUSTER)));
        topic.setSpec(new TopicSpec());
        topic.getSpec().setPartitions(partitions);
        topic.getSpec().setConfig(config);
        return topic;
    }

    /**
     * Replaces the spec by {@code change}'s, with a JSON patch that carries no resource version: the operator writes
     * the status meanwhile, which a replace of the whole resource, or fabric8's edit, would conflict with.
     */
    private void editSpec(Topic topic, Consumer<TopicSpec> change) {
        TopicSpec spec = get(topic).getSpec();
        change.accept(spec);
        patch(topic, "{\"op\":\"replace\",\"path\":\"/spec\",\"value\":"
                + client.getKubernetesSerialization().asJson(spec) + "}");
    }

    private void patch(Topic topic, String... operations) {
        client.resources(Topic.class).inNamespace(topic.getMetadata().getNamespace())
                .withName(topic.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON), "[" + String.join(",", operations) + "]");
    }

    private Topic get(Topic topic) {
        return client.resources(Topic.class).inNamespace(topic.getMetadata().getNamespace())
                .withName(topic.getMetadata().getName()).get();
    }

    private Topic awaitReady(Topic topic) {
        await().atMost(WAIT).untilAsserted(() -> {
            Topic current = get(topic);
            assertThat(current.getStatus()).isNotNull();
            assertThat(Conditions.find(current.getStatus().getConditions(), Conditions.READY))
                    .hasValueSatisfying(c -> assertThat(c.getStatus()).as(c.getMessage()).isEqualTo("True"));
        });
        return get(topic);
    }

    private Condition awaitCondition(Topic topic, String reason) {
        await().atMost(WAIT).untilAsserted(() -> {
            Topic current = get(topic);
            assertThat(current.getStatus()).isNotNull();
            assertThat(Conditions.find(current.getStatus().getConditions(), Conditions.READY))
                    .hasValueSatisfying(c -> assertThat(c.getReason()).as(c.getMessage()).isEqualTo(reason));
        });
        return Conditions.find(get(topic).getStatus().getConditions(), Conditions.READY).orElseThrow();
    }

    /** The values of {@code count} records written to {@code topic}, each acknowledged. */
    private List<String> produce(String topic, int count) throws Exception {
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = sluice.clients().producer()) {
            for (int i = 0; i < count; i++) {
                values.add("receipt-" + i);
                producer.send(new ProducerRecord<>(topic, "key-" + i, values.get(i))).get(10, TimeUnit.SECONDS);
            }
        }
        return values;
    }

    /** The values of {@code topic}'s records from the start of every partition, once there are {@code count}. */
    private List<String> read(String topic, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = sluice.clients().consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
                return values.size() >= count;
            });
        }
        return values;
    }

    private TopicDescription describe(String name) throws Exception {
        return admin.describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS).get(name);
    }

    private Config config(String name) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
        return admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
    }

    private Set<String> topicNames() throws Exception {
        return admin.listTopics().names().get(10, TimeUnit.SECONDS);
    }
}
