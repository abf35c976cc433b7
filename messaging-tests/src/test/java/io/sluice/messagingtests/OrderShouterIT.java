package io.sluice.messagingtests;

import static io.sluice.messagingtests.SluiceCluster.ORDERS;
import static io.sluice.messagingtests.SluiceCluster.PARTITIONS;
import static io.sluice.messagingtests.SluiceCluster.SHOUTED_ORDERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The app's Kafka connector consumes and produces through the gateway of a real cluster, in a consumer group. */
@QuarkusTest
@WithTestResource(SluiceCluster.class)
class OrderShouterIT {

    private static final int ORDER_COUNT = 300;
    private static final String GROUP = "order-shouter";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void everyOrderComesBackShoutedAndTheAppsGroupCommitsUpToTheEnd() throws Exception {
        List<String> orders = IntStream.range(0, ORDER_COUNT).mapToObj(i -> "order-" + i).toList();

        send(orders);

        List<String> shouted = readShouted(ORDER_COUNT);
        assertThat(shouted).containsExactlyInAnyOrderElementsOf(orders.stream().map(o -> o.toUpperCase()).toList());
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> ends = endOffsets(admin);
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ORDER_COUNT);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committed(admin)).isEqualTo(ends));
        }
    }

    @Test
    void appAndTestRunOnTheKafkaClientsQuarkusManages() {
        assertThat(AppInfoParser.getVersion()).isEqualTo(System.getProperty("expected.kafka-clients.version"));
    }

    private void send(List<String> orders) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (String order : orders) {
                producer.send(new ProducerRecord<>(ORDERS, order, order));
            }
            producer.flush();
        }
    }

    /** Reads the output topic from the beginning, without a group, until {@code expected} records arrived. */
    private List<String> readShouted(int expected) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(SHOUTED_ORDERS, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(60)).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= expected;
            });
            // a little longer, to catch anything beyond what was expected (duplicates)
            consumer.poll(Duration.ofSeconds(1)).forEach(r -> values.add(r.value()));
        }
        return values;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        IntStream.range(0, PARTITIONS).forEach(p -> latest.put(new TopicPartition(ORDERS, p), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
