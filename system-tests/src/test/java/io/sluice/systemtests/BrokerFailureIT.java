package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * Brokers killed with SIGKILL: one is seen dead and rejoins when started again, and one killed while a producer writes
 * with acks=all to an RF=3 topic loses nothing acknowledged.
 */
@SluiceCluster(disruptive = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerFailureIT {

    static TestCluster cluster;
    static KafkaClients clients;

    @Test
    @Order(1)
    void aKilledBrokerIsSeenDeadAndRejoinsWhenStartedAgain() {
        cluster.kill("broker-3");

        assertThat(cluster.ready("broker-3")).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.aliveBrokers().contains(3));

        cluster.start("broker-3");

        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.aliveBrokers().size() == 3);
        assertThat(cluster.ready("broker-3")).isTrue();
    }

    @Test
    @Order(2)
    void killedBrokerLosesNoAcknowledgedRecord(Admin admin) throws Exception {
        String topic = "survives";
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        int total = 30_000;
        long killedAt;
        long recoveredAt = -1;
        try (KafkaProducer<String, String> producer = clients.producer(Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            for (int i = 0; i < total / 3; i++) {
                send(producer, topic, i, acked, failed);
            }
            producer.flush();
            cluster.kill("broker-2");
            killedAt = System.currentTimeMillis();
            int before = acked.size();
            for (int i = total / 3; i < total; i++) {
                send(producer, topic, i, acked, failed);
                if (recoveredAt < 0 && acked.size() > before + 1000) {
                    recoveredAt = System.currentTimeMillis();
                }
                if (i % 1000 == 0) {
                    Thread.sleep(20);
                }
            }
            producer.flush();
        }
        assertThat(failed.get()).as("sends that failed for good").isZero();
        assertThat(acked).hasSize(total);
        if (recoveredAt > 0) {
            assertThat(recoveredAt - killedAt).as("ms until the producer made progress again").isLessThan(20_000);
        }

        List<ConsumerRecord<String, String>> records = clients.readAll(topic, 3, total, Duration.ofSeconds(120));

        assertThat(records.stream().map(ConsumerRecord::value).distinct()).hasSize(records.size());
        assertThat(records.stream().map(ConsumerRecord::value).toList()).containsAll(acked);
        Map<Integer, List<Integer>> byPartition = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(Integer.parseInt(r.value()));
        }
        byPartition.forEach((partition, values) -> {
            for (int i = 1; i < values.size(); i++) {
                assertThat(values.get(i)).as("order in partition %d", partition).isGreaterThan(values.get(i - 1));
            }
        });
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int i,
            ConcurrentLinkedQueue<String> acked, AtomicInteger failed) {
        String value = Integer.toString(i);
        producer.send(new ProducerRecord<>(topic, i % 3, null, value), (metadata, error) -> {
            if (error == null) {
                acked.add(value);
            } else {
                failed.incrementAndGet();
            }
        });
    }
}
