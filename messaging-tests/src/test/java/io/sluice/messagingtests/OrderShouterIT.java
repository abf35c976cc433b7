package io.sluice.messagingtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.Offsets;
import io.sluice.testcluster.TestCluster;
import io.sluice.testcluster.quarkus.InjectSluiceCluster;
import io.sluice.testcluster.quarkus.WithSluiceCluster;
import io.sluice.testcluster.quarkus.WithSluiceCluster.Topic;

/** The app's Kafka connector consumes and produces through the gateway of a real cluster, in a consumer group. */
@QuarkusTest
@WithSluiceCluster(brokers = 1, topics = {
        @Topic(name = OrderShouterIT.ORDERS, partitions = OrderShouterIT.PARTITIONS),
        @Topic(name = OrderShouterIT.SHOUTED_ORDERS, partitions = OrderShouterIT.PARTITIONS) })
class OrderShouterIT {

    static final String ORDERS = "orders";
    static final String SHOUTED_ORDERS = "shouted-orders";
    static final int PARTITIONS = 3;
    private static final int ORDER_COUNT = 300;
    private static final String GROUP = "order-shouter";

    @InjectSluiceCluster
    TestCluster cluster;

    @Test
    void everyOrderComesBackShoutedAndTheAppsGroupCommitsUpToTheEnd() throws Exception {
        KafkaClients clients = cluster.clients();
        List<String> orders = IntStream.range(0, ORDER_COUNT).mapToObj(i -> "order-" + i).toList();

        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (String order : orders) {
                producer.send(new ProducerRecord<>(ORDERS, order, order));
            }
            producer.flush();
        }

        List<String> shouted = clients.readAll(SHOUTED_ORDERS, PARTITIONS, ORDER_COUNT, Duration.ofSeconds(60))
                .stream().map(ConsumerRecord::value).toList();
        assertThat(shouted).containsExactlyInAnyOrderElementsOf(orders.stream().map(o -> o.toUpperCase()).toList());
        try (Admin admin = clients.admin()) {
            Map<TopicPartition, Long> ends = Offsets.end(admin, ORDERS, PARTITIONS);
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ORDER_COUNT);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(Offsets.committed(admin, GROUP)).isEqualTo(ends));
        }
    }

    @Test
    void appAndTestRunOnTheKafkaClientsQuarkusManages() {
        assertThat(AppInfoParser.getVersion()).isEqualTo(System.getProperty("expected.kafka-clients.version"));
    }
}
