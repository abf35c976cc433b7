package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * The gateway's SASL_SSL listener with real clients over real TLS: kafka-clients with SCRAM-SHA-512, SCRAM-SHA-256 and
 * PLAIN, kcat (librdkafka) with PLAIN; users managed with Kafka's Admin API count within seconds; wrong passwords,
 * deleted users and plaintext clients are refused while the listener keeps serving.
 */
@SluiceCluster
class SaslListenerIT {

    private static final String TOPIC = "sasl-orders";

    static TestCluster cluster;

    @BeforeAll
    static void topic() throws Exception {
        try (Admin admin = Admin.create(secure("SCRAM-SHA-512", "admin", TestCluster.ADMIN_PASSWORD))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theBootstrapAdminProducesAndConsumesWithScramSha512() throws Exception {
        Map<String, Object> admin = secure("SCRAM-SHA-512", "admin", TestCluster.ADMIN_PASSWORD);

        produce(admin, 0, "from-admin");

        assertThat(consume(admin, 0)).contains("from-admin");
    }

    @Test
    void aUserAddedWithAdminLogsInWithScramSha256AndPlainThenNoMoreOnceDeleted() throws Exception {
        try (Admin admin = Admin.create(secure("SCRAM-SHA-512", "admin", TestCluster.ADMIN_PASSWORD))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "alice-secret"))).all()
                    .get(30, TimeUnit.SECONDS);

            Map<String, Object> alice = secure("SCRAM-SHA-256", "alice", "alice-secret");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> topics(alice).contains(TOPIC));
            produce(alice, 1, "from-alice");
            assertThat(consume(alice, 1)).contains("from-alice");
            assertThat(topics(secure("PLAIN", "alice", "alice-secret"))).contains(TOPIC);

            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("alice",
                    ScramMechanism.SCRAM_SHA_256))).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> refused(alice));
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndTheListenerKeepsServing() throws Exception {
        for (String mechanism : List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN")) {
            assertThat(refused(secure(mechanism, "admin", "not-the-password"))).as(mechanism).isTrue();
        }
        assertThat(refused(secure("SCRAM-SHA-512", "nobody", TestCluster.ADMIN_PASSWORD))).isTrue();

        assertThat(topics(secure("PLAIN", "admin", TestCluster.ADMIN_PASSWORD))).contains(TOPIC);
    }

    @Test
    void aPlaintextClientOnTheTlsListenerGetsNothingAndTheListenerKeepsServing() throws Exception {
        Map<String, Object> plaintext = new HashMap<>();
        plaintext.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.secureBootstrapServers());
        plaintext.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        plaintext.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(plaintext)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }

        assertThat(topics(secure("SCRAM-SHA-512", "admin", TestCluster.ADMIN_PASSWORD))).contains(TOPIC);
    }

    @Test
    void kcatProducesAndConsumesWithPlainOverTls() throws Exception {
        kcat("k1:v1\nk2:v2\n", "-P", "-t", TOPIC, "-p", "2", "-K", ":");

        String consumed = kcat(null, "-C", "-t", TOPIC, "-p", "2", "-o", "beginning", "-e", "-f", "%k=%s\n");

        assertThat(consumed.lines()).contains("k1=v1", "k2=v2");
    }

    /** A client configuration for the SASL_SSL listener, trusting the cluster's CA. */
    private static Map<String, Object> secure(String mechanism, String user, String password) {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.secureBootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put(SaslConfigs.SASL_MECHANISM, mechanism);
        config.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + user + "\" password=\""
                + password + "\";");
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, cluster.caCertificate().toString());
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return config;
    }

    private static List<String> topics(Map<String, Object> config) throws Exception {
        try (Admin admin = Admin.create(config)) {
            return new ArrayList<>(admin.listTopics().names().get(20, TimeUnit.SECONDS));
        }
    }

    /** Whether the listener refuses the client's login, as kafka-clients reports it. */
    private static boolean refused(Map<String, Object> config) throws Exception {
        try (Admin admin = Admin.create(config)) {
            admin.listTopics().names().get(20, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof SaslAuthenticationException;
        }
    }

    private static void produce(Map<String, Object> config, int partition, String value) throws Exception {
        Map<String, Object> producer = new HashMap<>(config);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> client = new KafkaProducer<>(producer)) {
            client.send(new ProducerRecord<>(TOPIC, partition, null, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consume(Map<String, Object> config, int partition) {
        Map<String, Object> consumer = new HashMap<>(config);
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> client = new KafkaConsumer<>(consumer)) {
            TopicPartition tp = new TopicPartition(TOPIC, partition);
            client.assign(List.of(tp));
            client.seekToBeginning(List.of(tp));
            long end = client.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (client.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : client.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private static String kcat(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", cluster.secureBootstrapServers(),
                "-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=PLAIN",
                "-X", "sasl.username=admin", "-X", "sasl.password=" + TestCluster.ADMIN_PASSWORD,
                "-X", "ssl.ca.location=" + cluster.caCertificate()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kcat %s said:%n%s", List.of(args), output).isZero();
        return output;
    }
}
