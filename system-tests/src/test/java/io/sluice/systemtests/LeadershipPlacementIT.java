package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.security.MemberCredential;
import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Leadership follows the data: every partition's leader is the primary owner of its data in the brokers' store (or,
 * while that broker is down, another owner), and its replicas are the owners, through a broker killed, a broker added
 * with an empty store and the rebalances they cause; a producer writing with acks=all all along loses nothing.
 */
@SluiceCluster(brokers = 4, disruptive = true)
class LeadershipPlacementIT {

    private static final List<String> TOPICS = List.of("placed-rf2", "placed-rf3");
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static TestCluster cluster;
    static KafkaClients clients;

    @Test
    void leadersAreTheOwnersOfTheirDataThroughAKillABrokerAddedAndTheRebalances(Admin admin) throws Exception {
        // broker-4 is the broker added later: it starts from an empty store.
        cluster.kill("broker-4");
        deleteRecursively(cluster.dataDir().resolve("broker-4"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.aliveBrokers().equals(Set.of(1, 2, 3)));
        admin.createTopics(List.of(new NewTopic(TOPICS.get(0), 6, (short) 2), new NewTopic(TOPICS.get(1), 3,
                (short) 3))).all().get(30, TimeUnit.SECONDS);
        assertLeadersFollowTheirData();

        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread producer = new Thread(() -> produceUntilStopped(writing, acked, failed), "placement-producer");
        producer.start();
        try {
            awaitMoreAcked(acked);
            cluster.kill("broker-2");
            await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.aliveBrokers().contains(2));
            assertLeadersFollowTheirData();
            awaitMoreAcked(acked);

            cluster.start("broker-4");
            assertLeadersFollowTheirData();
            assertThat(owners().values()).as("the added broker took its share of the data")
                    .anySatisfy(partitions -> assertThat(partitions).anySatisfy(o -> assertThat(o).contains(4)));
            awaitMoreAcked(acked);

            cluster.start("broker-2");
            assertLeadersFollowTheirData();
            awaitMoreAcked(acked);
        } finally {
            writing.set(false);
            producer.join(180_000);
        }

        assertThat(failed.get()).as("sends that failed for good").isZero();
        List<String> read = new ArrayList<>();
        for (String topic : TOPICS) {
            long expected = acked.stream().filter(v -> v.startsWith(topic + "/")).count();
            clients.readAll(topic, topic.endsWith("2") ? 6 : 3, (int) expected, Duration.ofSeconds(120))
                    .stream().map(ConsumerRecord::value).forEach(read::add);
        }
        assertThat(new HashSet<>(read)).as("no record twice").hasSize(read.size());
        Set<String> missing = new HashSet<>(acked);
        read.forEach(missing::remove);
        assertThat(missing).as("acknowledged records not read back, of %d", acked.size()).isEmpty();
    }

    /**
     * Once the store has settled, for every partition of the test's topics: its replicas start with the owners of its
     * data, primary first, and its leader is the first owner the coordinator counts alive.
     */
    private static void assertLeadersFollowTheirData() {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, List<List<Integer>>> owners = owners();
            Set<Integer> alive = cluster.aliveBrokers();
            JsonNode view = cluster.clusterView().orElseThrow();
            for (JsonNode topic : view.path("topics")) {
                String name = topic.path("name").asText();
                if (!TOPICS.contains(name)) {
                    continue;
                }
                for (JsonNode p : topic.path("partitions")) {
                    List<Integer> partitionOwners = owners.get(name).get(p.path("partition").asInt());
                    assertThat(partitionOwners).as("%s-%s owners (store settled)", name, p.path("partition"))
                            .isNotNull();
                    List<Integer> replicas = JSON.convertValue(p.path("replicas"), JSON.getTypeFactory()
                            .constructCollectionType(List.class, Integer.class));
                    int firstLiveOwner = partitionOwners.stream().filter(alive::contains).findFirst().orElseThrow();
                    assertThat(p.path("leader").asInt()).as("%s-%s leader, owners %s", name, p.path("partition"),
                            partitionOwners).isEqualTo(firstLiveOwner);
                    assertThat(replicas.subList(0, partitionOwners.size())).as("%s-%s replicas", name,
                            p.path("partition")).isEqualTo(partitionOwners);
                }
            }
        });
    }

    /** The owners of each partition's data as a live broker's store has them (null while it moves the data). */
    private static Map<String, List<List<Integer>>> owners() throws IOException, InterruptedException {
        int broker = cluster.aliveBrokers().stream().filter(id -> cluster.ready("broker-" + id)).findFirst()
                .orElseThrow();
        HttpResponse<String> balance = get(broker, BrokerContract.STORE_BALANCE_PATH);
        assertThat(balance.statusCode()).as("broker-%d store balanced: %s", broker, balance.body()).isEqualTo(200);
        HttpResponse<String> response = get(broker, BrokerContract.STORE_OWNERS_PATH);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.convertValue(JSON.readTree(response.body()).path("topics"), JSON.getTypeFactory()
                .constructMapType(Map.class, JSON.getTypeFactory().constructType(String.class), JSON
                        .getTypeFactory().constructCollectionType(List.class, JSON.getTypeFactory()
                                .constructCollectionType(List.class, Integer.class))));
    }

    private static HttpResponse<String> get(int broker, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + cluster.member("broker-" + broker).httpPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).header(MemberCredential.HEADER, cluster.memberCredential().token())
                .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void produceUntilStopped(AtomicBoolean writing, ConcurrentLinkedQueue<String> acked,
            AtomicInteger failed) {
        try (KafkaProducer<String, String> producer = clients.producer(Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            for (int i = 0; writing.get(); i++) {
                for (String topic : TOPICS) {
                    String value = topic + "/" + i;
                    producer.send(new ProducerRecord<>(topic, Integer.toString(i), value), (metadata, error) -> {
                        if (error == null) {
                            acked.add(value);
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                }
                if (i % 20 == 0) {
                    Thread.sleep(10);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the producer has had more records acknowledged: the cluster serves writes again. */
    private static void awaitMoreAcked(ConcurrentLinkedQueue<String> acked) {
        int before = acked.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() > before + 500);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
