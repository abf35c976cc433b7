package io.sluice.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
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

import io.sluice.testcluster.TestCluster;

/** Kafka clients of the gateway's SASL_SSL listener, as an application configures them, for one user. */
record SecureClients(TestCluster cluster, String mechanism, String user, String password) {

    static SecureClients admin(TestCluster cluster) {
        return new SecureClients(cluster, "SCRAM-SHA-512", "admin", TestCluster.ADMIN_PASSWORD);
    }

    /** Creates the user (SCRAM-SHA-512) as admin; it can log in within a second or two. */
    static SecureClients newUser(TestCluster cluster, String user) throws Exception {
        SecureClients created = new SecureClients(cluster, "SCRAM-SHA-512", user, user + "-secret");
        try (Admin admin = admin(cluster).admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), created.password()))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        return created;
    }

    SecureClients as(String otherMechanism) {
        return new SecureClients(cluster, otherMechanism, user, password);
    }

    SecureClients withPassword(String otherPassword) {
        return new SecureClients(cluster, mechanism, user, otherPassword);
    }

    Map<String, Object> config() {
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

    Admin admin() {
        return Admin.create(config());
    }

    List<String> topics() throws Exception {
        try (Admin admin = admin()) {
            return new ArrayList<>(admin.listTopics().names().get(20, TimeUnit.SECONDS));
        }
    }

    /** Whether the listener refuses this login, as kafka-clients reports it. */
    boolean refused() throws Exception {
        try (Admin admin = admin()) {
            admin.listTopics().names().get(20, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof SaslAuthenticationException;
        }
    }

    KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> producer = new HashMap<>(config());
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        producer.putAll(extra);
        return new KafkaProducer<>(producer);
    }

    void produce(String topic, int partition, String value) throws Exception {
        try (KafkaProducer<String, String> client = producer(Map.of())) {
            client.send(new ProducerRecord<>(topic, partition, null, value)).get(30, TimeUnit.SECONDS);
        }
    }

    KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> consumer = new HashMap<>(config());
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        if (group != null) {
            consumer.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        }
        return new KafkaConsumer<>(consumer);
    }

    /** The partition's values from its beginning to its end, read without a group. */
    List<String> consume(String topic, int partition) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> client = consumer(null)) {
            TopicPartition tp = new TopicPartition(topic, partition);
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
}
