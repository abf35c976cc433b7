package io.sluice.systemtests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real kafka-clients, configured the way an application would, pointed at the gateway only. */
final class Clients {

    private static final Comparator<TopicPartition> BY_PARTITION = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private Clients() {
    }

    static Admin admin(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(props);
    }

    static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.putAll(overrides);
        return new KafkaProducer<>(props);
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        return producer(bootstrap, Map.of());
    }

    static KafkaConsumer<String, String> consumer(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putAll(overrides);
        return new KafkaConsumer<>(props);
    }

    static KafkaConsumer<String, String> consumer(String bootstrap) {
        return consumer(bootstrap, Map.of());
    }

    /** Reads every partition of {@code topic} from the beginning until {@code expected} records arrived. */
    static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, int partitions, int expected,
            Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
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
            // A little longer, to catch anything beyond what was expected (duplicates).
            consumer.poll(Duration.ofMillis(1_000)).forEach(records::add);
            return records;
        }
    }

    /** The log-end offset of every partition of {@code topic}, by partition. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new TreeMap<>(BY_PARTITION);
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, o) -> ends.put(tp, o.offset()));
        return ends;
    }

    /** The offsets {@code group} has committed, by partition. */
    static Map<TopicPartition, Long> committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, Long> offsets = new TreeMap<>(BY_PARTITION);
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, o) -> offsets.put(tp, o.offset()));
        return offsets;
    }
}
