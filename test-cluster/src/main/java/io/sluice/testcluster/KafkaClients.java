package io.sluice.testcluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real kafka-clients, configured the way an application would, pointed at the gateway only. */
public record KafkaClients(String bootstrapServers) {

    /** An Admin client that gives up on a call after 30 s. */
    public Admin admin() {
        return admin(Map.of());
    }

    /** An Admin client that gives up on a call after 30 s, with {@code overrides} on top. */
    public Admin admin(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        config.putAll(overrides);
        return Admin.create(config);
    }

    public KafkaProducer<String, String> producer() {
        return producer(Map.of());
    }

    /** A producer of string keys and values, with {@code overrides} on top of the client's defaults. */
    public KafkaProducer<String, String> producer(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    public KafkaConsumer<String, String> consumer() {
        return consumer(Map.of());
    }

    /** A consumer of string keys and values that commits only when told to, with {@code overrides} on top. */
    public KafkaConsumer<String, String> consumer(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(overrides);
        return new KafkaConsumer<>(config);
    }

    /**
     * Reads every partition of {@code topic} from the beginning, without a group, until {@code expected} records
     * arrived or {@code timeout} passed, then a second longer to catch anything beyond them (duplicates).
     */
    public List<ConsumerRecord<String, String>> readAll(String topic, int partitions, int expected,
            Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(1_000)).forEach(records::add);
            return records;
        }
    }
}
