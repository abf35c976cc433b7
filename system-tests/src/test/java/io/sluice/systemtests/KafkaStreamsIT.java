package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;

/**
 * A Kafka Streams application with a state store, through the gateway (issue 14): Streams creates its changelog
 * compacted, the brokers compact it, and an instance without local state restores exact counts from it.
 */
@SluiceCluster
class KafkaStreamsIT {

    static KafkaClients clients;
    static Admin admin;

    private static final String APP = "streams-counts";
    private static final String INPUT = "streams-counts-input";
    private static final String OUTPUT = "streams-counts-output";
    private static final String STORE = "counts";
    private static final String CHANGELOG = APP + "-" + STORE + "-changelog";
    private static final int PARTITIONS = 2;
    private static final int KEYS = 300;
    /** Rounds of updates before the restart, and after it. */
    private static final int ROUNDS = 20;
    private static final int MORE_ROUNDS = 5;

    @TempDir
    Path stateDirs;

    @Test
    void aNewInstanceWithoutLocalStateRestoresExactCountsFromTheCompactedChangelog() throws Exception {
        admin.createTopics(List.of(new NewTopic(INPUT, PARTITIONS, (short) 3), new NewTopic(OUTPUT, PARTITIONS,
                (short) 3))).all().get(30, TimeUnit.SECONDS);
        Map<String, Long> totals = new TreeMap<>();
        int[] updates = new int[PARTITIONS];

        KafkaStreams first = start(stateDirs.resolve("first"), new RestoredRecords());
        try {
            count(first, ROUNDS, KafkaStreamsIT::updatesBefore, totals, updates);
        } finally {
            stop(first);
        }
        assertThat(changelogConfigs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                .containsEntry(TopicConfig.SEGMENT_MS_CONFIG, "100")
                .containsEntry(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.01");

        // Without a cache every update is one changelog record: a partition holding fewer than half its updates was
        // compacted past its first rounds (a pass that came early may have cleaned only a few chunks), and the newest
        // record of each key must still hold its count.
        Map<Integer, Integer> compacted = new TreeMap<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, Long> latest = new HashMap<>();
            compacted.clear();
            readToEnd(CHANGELOG, r -> {
                compacted.merge(r.partition(), 1, Integer::sum);
                latest.put(r.key(), r.value());
            });
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(compacted.getOrDefault(p, 0)).as("changelog records of partition %d, %d updates", p,
                        updates[p]).isLessThan(updates[p] / 2);
            }
            assertThat(wrongCounts(totals, latest)).as("keys whose newest count in the changelog is wrong").isEmpty();
        });

        // A new state directory: the instance has no local store, so it restores the store from the changelog.
        RestoredRecords restored = new RestoredRecords();
        KafkaStreams second = start(stateDirs.resolve("second"), restored);
        try {
            // Nothing new to count yet: the store holds what was restored from the changelog, and nothing else.
            awaitCounts(second, totals);
            int compactedRecords = compacted.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(restored.records.get()).as("records restored from the compacted changelog")
                    .isPositive().isLessThanOrEqualTo(compactedRecords);
            System.out.printf("KafkaStreamsIT: changelog compacted from %s updates to %s records per partition;"
                    + " %d records restored%n", Arrays.toString(updates), compacted.values(), restored.records.get());

            count(second, MORE_ROUNDS, key -> MORE_ROUNDS, totals, new int[PARTITIONS]);
        } finally {
            stop(second);
        }

        // Exactly once across the restart: each key's counts went out 1, 2, 3… with none missed or repeated.
        Map<String, List<Long>> emitted = new TreeMap<>();
        readToEnd(OUTPUT, r -> emitted.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        assertThat(emitted).hasSameSizeAs(totals);
        totals.forEach((key, total) -> assertThat(emitted.get(key)).as("the counts of %s", key)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList()));
    }

    /**
     * The counting application. Exactly-once (v2): the changelog and the output then hold each update once, so exact
     * counts are an honest assertion (at_least_once may count an update again after an instance stops). No record
     * cache, so every update reaches the changelog and the output. The changelog's topic configs are ones any user
     * could set: segments roll after 100 ms and a little dirt is worth a pass.
     */
    private static KafkaStreams start(Path stateDir, StateRestoreListener restores) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, clients.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        config.put(StreamsConfig.topicPrefix(TopicConfig.SEGMENT_MS_CONFIG), "100");
        config.put(StreamsConfig.topicPrefix(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG), "0.01");

        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String> stream(INPUT).groupByKey().count(Materialized.as(STORE)).toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        KafkaStreams streams = new KafkaStreams(builder.build(), new StreamsConfig(config));
        streams.setGlobalStateRestoreListener(restores);
        streams.start();
        return streams;
    }

    /** Closes an instance and leaves the group, as an application stopped for good does: no successor waits for it. */
    private static void stop(KafkaStreams streams) {
        CloseOptions leave = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        assertThat(streams.close(leave.withTimeout(Duration.ofSeconds(30)))).as("the instance closed in time").isTrue();
    }

    /**
     * How many times key {@code k} is updated before the restart: from half the rounds to all of them. The keys that
     * stop early have their newest count in the part of the changelog that compaction rewrites, not in the newest
     * chunks it leaves alone.
     */
    private static int updatesBefore(int k) {
        return ROUNDS / 2 + k % (ROUNDS / 2 + 1);
    }

    /**
     * Sends {@code rounds} rounds of updates, key {@code k} in the first {@code updatesOf(k)} of them, adding them to
     * {@code totals} and to {@code updates} per partition. A round goes once the one before is counted, so the
     * changelog is written in many transactions rather than a few large ones: compaction leaves a partition's newest
     * chunks alone.
     */
    private static void count(KafkaStreams streams, int rounds, IntUnaryOperator updatesOf, Map<String, Long> totals,
            int[] updates) throws Exception {
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int round = 0; round < rounds; round++) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int k = 0; k < KEYS; k++) {
                    if (round >= updatesOf.applyAsInt(k)) {
                        continue;
                    }
                    String key = "key-%03d".formatted(k);
                    sent.add(producer.send(new ProducerRecord<>(INPUT, key, "round-" + round)));
                    totals.merge(key, 1L, Long::sum);
                }
                for (Future<RecordMetadata> result : sent) {
                    updates[result.get().partition()]++;
                }
                awaitCounts(streams, totals);
            }
        }
    }

    /** Waits until the application's store, queried in place, holds exactly {@code expected}. */
    private static void awaitCounts(KafkaStreams streams, Map<String, Long> expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
                    ReadOnlyKeyValueStore<String, Long> store = streams.store(StoreQueryParameters.fromNameAndType(
                            STORE, QueryableStoreTypes.<String, Long> keyValueStore()));
                    Map<String, Long> counts = new TreeMap<>();
                    try (KeyValueIterator<String, Long> all = store.all()) {
                        all.forEachRemaining((KeyValue<String, Long> entry) -> counts.put(entry.key, entry.value));
                    }
                    assertThat(wrongCounts(expected, counts)).as("keys whose count in the store is wrong").isEmpty();
                });
    }

    /** The keys whose count in {@code actual} is not the one in {@code expected}, with their count (null: none). */
    private static Map<String, Long> wrongCounts(Map<String, Long> expected, Map<String, Long> actual) {
        Map<String, Long> wrong = new TreeMap<>();
        Set<String> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String key : keys) {
            if (!Objects.equals(expected.get(key), actual.get(key))) {
                wrong.put(key, actual.get(key));
            }
        }
        return wrong;
    }

    private static Map<String, String> changelogConfigs() throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, CHANGELOG);
        Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
        Map<String, String> values = new HashMap<>();
        config.entries().forEach(entry -> values.put(entry.name(), entry.value()));
        return values;
    }

    /** Hands every committed record of {@code topic}, from the log start to the last stable offset, to {@code each}. */
    private static void readToEnd(String topic, Consumer<ConsumerRecord<String, Long>> each) {
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, clients.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new LongDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.currentTimeMillis()).as("read %s to %s in time", topic, ends).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }

    /** Counts the records Streams restores into its stores. */
    private static final class RestoredRecords implements StateRestoreListener {
        final AtomicLong records = new AtomicLong();

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            records.addAndGet(totalRestored);
        }
    }
}
