package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Brokers killed with SIGKILL: one is seen dead and rejoins when started again, one killed while a producer writes
 * with acks=all to an RF=3 topic loses nothing acknowledged, and the only broker of an RF=1 partition comes back with
 * every record of it while the partition waits offline (and removes it if its topic was deleted meanwhile), and
 * retention goes on at the next leader of a partition whose leader was killed, and so does compaction. A leader paused
 * (SIGSTOP) 20 s under the same load, or cut off by a network partition as long, loses nothing, and the producer
 * carries on at the next leader meanwhile. Every member runs in a network namespace of its own, with three coordinator
 * replicas, on the cluster the coordinator's failover tests use.
 */
@SluiceCluster(coordinators = 3, disruptive = true, networkNamespaces = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrokerFailureIT {

    static TestCluster cluster;
    static KafkaClients clients;

    private static final Duration LEADER_AWAY = Duration.ofSeconds(20);

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
        try (KafkaProducer<String, String> producer = failoverProducer()) {
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

        assertReadBackOnceInOrder(topic, acked, total);
        cluster.start("broker-2");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.aliveBrokers().size() == 3);
    }

    @Test
    @Order(3)
    void singleReplicaPartitionWaitsOfflineForItsBrokerAndComesBackWithEveryRecord(Admin admin) throws Exception {
        String topic = "rf1-comes-back";
        int partitions = 3;
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        try (KafkaProducer<String, String> producer = failoverProducer()) {
            for (int i = 0; i < 3_000; i++) {
                send(producer, topic, i, acked, failed);
            }
            producer.flush();
            assertThat(acked).hasSize(3_000);

            int home = inView(topic, 1).path("replicas").get(0).asInt();
            cluster.kill("broker-" + home);
            await().atMost(Duration.ofSeconds(30)).until(() -> leaderOf(admin, topic, 1) < 0);
            for (int i = 3_000; i < 3_300; i++) {
                send(producer, topic, i, acked, failed);
            }
            // The other partitions go on; this one waits for its broker, with its data, as in Kafka.
            await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() == 3_200);
            Thread.sleep(2_000);
            assertThat(acked).as("records acknowledged while their partition's only broker is away").hasSize(3_200);
            assertThat(leaderOf(admin, topic, 1)).isNegative();

            cluster.start("broker-" + home);
            long restarted = System.currentTimeMillis();
            producer.flush();
            assertThat(leaderOf(admin, topic, 1)).isNotNegative();
            assertThat(inView(topic, 1).path("leader").asInt()).isEqualTo(home);
            assertThat(System.currentTimeMillis() - restarted).as("ms until the partition took writes again")
                    .isLessThan(60_000);
        }
        assertThat(failed.get()).as("sends that failed for good").isZero();
        assertThat(acked).hasSize(3_300);

        List<ConsumerRecord<String, String>> records = clients.readAll(topic, partitions, 3_300,
                Duration.ofSeconds(60));
        assertThat(records.stream().map(ConsumerRecord::value).toList()).containsExactlyInAnyOrderElementsOf(acked);
        assertInOrderPerPartition(records);
    }

    @Test
    @Order(4)
    void brokerBackAfterItsSingleReplicaTopicWasDeletedRemovesItsData(Admin admin) throws Exception {
        String topic = "rf1-deleted-while-away";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, "v" + i));
            }
        }
        String topicId = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                .topicId().toString();
        String home = "broker-" + inView(topic, 0).path("replicas").get(0).asInt();
        cluster.kill(home);
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);

        cluster.start(home);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> cluster.logTail(home, 200).contains("removed the data of partitions [" + topicId + ":0]"));
    }

    @Test
    @Order(5)
    void retentionGoesOnAtTheNextLeader(Admin admin) throws Exception {
        String topic = "retained";
        int retentionBytes = 256 * 1024;
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3)
                .configs(Map.of("retention.bytes", Integer.toString(retentionBytes))))).all()
                .get(30, TimeUnit.SECONDS);
        int total = 4_000;
        String padding = "x".repeat(1_000);
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < total; i++) {
                producer.send(new ProducerRecord<>(topic, i + ":" + padding));
            }
        }
        int leader = inView(topic, 0).path("leader").asInt();
        cluster.kill("broker-" + leader);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            int now = inView(topic, 0).path("leader").asInt();
            return now >= 0 && now != leader;
        });

        TopicPartition tp = new TopicPartition(topic, 0);
        // The new leader recovered the log from the store and applies the topic's retention.bytes to it.
        long start;
        try (KafkaConsumer<String, String> consumer = clients.consumer()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> consumer.beginningOffsets(List.of(tp)).get(tp) > 0);
            start = consumer.beginningOffsets(List.of(tp)).get(tp);
            assertThat(consumer.endOffsets(List.of(tp)).get(tp)).isEqualTo(total);
        }
        List<ConsumerRecord<String, String>> kept = clients.readAll(topic, 1, (int) (total - start),
                Duration.ofSeconds(30));
        assertThat(kept).extracting(ConsumerRecord::offset)
                .containsExactlyElementsOf(LongStream.range(start, total).boxed().toList());
        assertThat(kept.get(0).value()).startsWith(start + ":");
        assertThat(kept.stream().mapToLong(r -> r.serializedValueSize()).sum())
                .as("bytes kept: about retention.bytes").isLessThan(4L * retentionBytes);
        try (KafkaConsumer<String, String> consumer = clients.consumer(
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(OffsetOutOfRangeException.class);
        }
        cluster.start("broker-" + leader);
    }

    @Test
    @Order(6)
    void aCompactedTopicKeepsTheLatestValueOfEveryKeyThroughItsLeadersKill(Admin admin) throws Exception {
        String topic = "compacted";
        // Every chunk rolls the segment and any dirt is worth a pass: topic configs a user could set.
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 3).configs(Map.of("cleanup.policy", "compact",
                "segment.ms", "100", "min.cleanable.dirty.ratio", "0.01")))).all().get(30, TimeUnit.SECONDS);
        Map<Long, String> acked = new HashMap<>();
        Map<String, String> latest = new HashMap<>();
        int keys = 50;
        try (KafkaProducer<String, String> producer = clients.producer()) {
            produceVersions(producer, topic, keys, 0, 20, acked, latest);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> readCompacted(topic, acked).size() < acked.size() / 2);
            int leader = inView(topic, 0).path("leader").asInt();
            // The cleaner keeps going on every new version: the kill lands between passes or in one.
            produceVersions(producer, topic, keys, 20, 10, acked, latest);
            cluster.kill("broker-" + leader);
            produceVersions(producer, topic, keys, 30, 20, acked, latest);
            // Compacted, every key once, but for the newest chunks, which are never cleaned: 8 rounds at most.
            int compacted = keys + 8 * keys;
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2))
                    .until(() -> readCompacted(topic, acked).size() <= compacted);
            cluster.start("broker-" + leader);
        }

        List<ConsumerRecord<String, String>> kept = readCompacted(topic, acked);
        Map<String, String> lastRead = new HashMap<>();
        kept.forEach(r -> lastRead.put(r.key(), r.value()));
        assertThat(lastRead).as("the latest acknowledged value of every key").isEqualTo(latest);
        assertThat(kept.size()).isLessThan(acked.size() / 4);
    }

    @Test
    @Order(7)
    void aLeaderPausedTwentySecondsUnderLoadLosesNothingAndItsPartitionMovesOn(Admin admin) throws Exception {
        leaderAwayUnderLoad(admin, "paused-leader", "paused", leader -> cluster.pause(leader, LEADER_AWAY));
    }

    /**
     * Cut off by the network, not paused: the leader runs on, alone, and hears nothing from the other brokers, the
     * coordinator or the gateway, nor they from it. Its store is in a minority and refuses writes, the coordinator
     * moves its partitions, and once reconnected it rejoins as a follower.
     */
    @Test
    @Order(8)
    void aLeaderCutOffTwentySecondsUnderLoadLosesNothingAndItsPartitionMovesOn(Admin admin) throws Exception {
        leaderAwayUnderLoad(admin, "cut-off-leader", "cut off", leader -> {
            cluster.cutOff(leader);
            try {
                Thread.sleep(LEADER_AWAY.toMillis());
            } finally {
                cluster.reconnect(leader);
            }
        });
    }

    /**
     * Writes 30,000 records at acks=all, about 1,000 a second, to an RF=3 topic of 3 partitions, and sends partition
     * 0's leader {@code away} once a sixth of them are acknowledged: every record is acknowledged, partition 0 moves
     * on to another leader before the leader is back, and everything is read back once, in order.
     */
    private static void leaderAwayUnderLoad(Admin admin, String topic, String how, LeaderAway away) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong lastAckOfPartition0 = new AtomicLong();
        AtomicLong longestGap = new AtomicLong();
        int total = 30_000;
        try (KafkaProducer<String, String> producer = failoverProducer()) {
            CompletableFuture<Void> leaderAway = null;
            for (int i = 0; i < total; i++) {
                String value = Integer.toString(i);
                producer.send(new ProducerRecord<>(topic, i % 3, null, value), (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        return;
                    }
                    acked.add(value);
                    if (metadata.partition() == 0) {
                        long now = System.currentTimeMillis();
                        long last = lastAckOfPartition0.getAndSet(now);
                        longestGap.accumulateAndGet(last == 0 ? 0 : now - last, Math::max);
                    }
                });
                if (i == total / 6) {
                    producer.flush();
                    String leader = "broker-" + inView(topic, 0).path("leader").asInt();
                    leaderAway = CompletableFuture.runAsync(() -> {
                        try {
                            away.send(leader);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                // About 1,000 records a second, so that the producer writes through the leader's absence and after it.
                if (i % 100 == 0) {
                    Thread.sleep(100);
                }
            }
            producer.flush();
            leaderAway.get(60, TimeUnit.SECONDS);
        }
        System.out.println("a leader " + how + " 20 s: " + acked.size() + " of " + total + " acknowledged, "
                + failed.get() + " failed; its partition acknowledged nothing for " + longestGap.get() + " ms at most");
        assertThat(failed.get()).as("sends that failed for good").isZero();
        assertThat(acked).hasSize(total);
        assertThat(longestGap.get()).as("ms the leader's partition acknowledged nothing: it moved on before the leader "
                + "was back").isLessThan(LEADER_AWAY.toMillis());

        assertReadBackOnceInOrder(topic, acked, total);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.aliveBrokers().size() == 3);
    }

    /** Sends a partition's leader away (pauses it, cuts it off) for {@link #LEADER_AWAY}, and has it back. */
    @FunctionalInterface
    private interface LeaderAway {
        void send(String leader) throws InterruptedException;
    }

    private static void produceVersions(KafkaProducer<String, String> producer, String topic, int keys, int from,
            int versions, Map<Long, String> acked, Map<String, String> latest) throws Exception {
        for (int v = from; v < from + versions; v++) {
            Map<String, Future<RecordMetadata>> sent = new HashMap<>();
            for (int k = 0; k < keys; k++) {
                String value = "key-" + k + "@" + v;
                sent.put(value, producer.send(new ProducerRecord<>(topic, 0, "key-" + k, value)));
            }
            for (Map.Entry<String, Future<RecordMetadata>> e : sent.entrySet()) {
                acked.put(e.getValue().get(120, TimeUnit.SECONDS).offset(), e.getKey());
            }
            for (int k = 0; k < keys; k++) {
                latest.put("key-" + k, "key-" + k + "@" + v);
            }
        }
    }

    /**
     * Reads the whole partition from its start, checking that each record is the one acknowledged at its offset, in
     * offset order and read once.
     */
    private static List<ConsumerRecord<String, String>> readCompacted(String topic, Map<Long, String> acked) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = clients.consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            }
            assertThat(consumer.position(tp)).as("read to the end").isEqualTo(end);
        }
        long previous = -1;
        for (ConsumerRecord<String, String> r : read) {
            assertThat(r.offset()).as("offsets rise").isGreaterThan(previous);
            assertThat(r.value()).as("the record acknowledged at offset %d", r.offset()).isEqualTo(acked.get(r.offset()));
            previous = r.offset();
        }
        return read;
    }

    /** The partition as the coordinator describes it: its leader, epoch, replicas and ISR. */
    private static JsonNode inView(String topic, int partition) {
        for (JsonNode t : cluster.clusterView().orElseThrow().path("topics")) {
            if (t.path("name").asText().equals(topic)) {
                return t.path("partitions").get(partition);
            }
        }
        throw new AssertionError("no topic " + topic + " in the coordinator's view");
    }

    /** The partition's leader as clients see it now (the gateway stands in for every leader), or -1 for none. */
    private static int leaderOf(Admin admin, String topic, int partition) throws Exception {
        TopicPartitionInfo info = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions().get(partition);
        return info.leader() == null || info.leader().isEmpty() ? -1 : info.leader().id();
    }

    /** A producer that rides out a failover: a delivery may take two minutes, a request 10 s before it goes again. */
    private static KafkaProducer<String, String> failoverProducer() {
        return clients.producer(Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    /** Reads the topic's 3 partitions back: every acknowledged record is there, read once, in order per partition. */
    private static void assertReadBackOnceInOrder(String topic, Collection<String> acked, int total) {
        List<ConsumerRecord<String, String>> records = clients.readAll(topic, 3, total, Duration.ofSeconds(120));

        assertThat(records.stream().map(ConsumerRecord::value).distinct()).as("read once").hasSize(records.size());
        assertThat(records.stream().map(ConsumerRecord::value).toList()).containsAll(acked);
        assertInOrderPerPartition(records);
    }

    private static void assertInOrderPerPartition(List<ConsumerRecord<String, String>> records) {
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
