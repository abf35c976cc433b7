package io.sluice.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.testcluster.KafkaClients;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

import com.fasterxml.jackson.databind.JsonNode;

/** The core data path through the gateway with the Java client: admin, produce, consume, every codec. */
@SluiceCluster
class DataPathIT {

    static TestCluster cluster;
    static KafkaClients clients;
    static Admin admin;

    private static void create(String topic, int partitions, int replicationFactor) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) replicationFactor))).all()
                .get(30, TimeUnit.SECONDS);
    }

    /**
     * A batch is stored as the producer framed it, never decoded and encoded again: fetched back, each batch's bytes
     * from its CRC on (attributes, timestamps, producer fields, records) are those sent; only the base offset and the
     * leader epoch before them are the broker's. One request carries a plain and a gzip batch for two partitions.
     */
    @Test
    void producedBatchesAreStoredAndServedByteForByte() throws Exception {
        String topic = "byte-for-byte";
        create(topic, 2, 3);
        List<MemoryRecords> sent = List.of(
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(1_000L, bytes("k0"), bytes("plain")),
                        new SimpleRecord(1_001L, null, bytes("no key"),
                                new RecordHeader[] { new RecordHeader("h", bytes("v")) })),
                MemoryRecords.withRecords(Compression.gzip().build(), new SimpleRecord(2_000L, bytes("k1"),
                        bytes("gzip ".repeat(50)))));
        try (RawKafka raw = new RawKafka(clients.bootstrapServers())) {
            // A partition whose leader is not known yet is sent again alone: sending both again would store the
            // other's batch twice (this raw producer is not idempotent).
            Set<Integer> unacknowledged = new TreeSet<>(List.of(0, 1));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                ProduceResponseData response = (ProduceResponseData) raw.call(produce(topic, sent, unacknowledged),
                        (short) 9);
                response.responses().stream().flatMap(t -> t.partitionResponses().stream())
                        .filter(r -> r.errorCode() == Errors.NONE.code())
                        .forEach(r -> unacknowledged.remove(r.index()));
                return unacknowledged.isEmpty();
            });
            for (int p = 0; p < sent.size(); p++) {
                MemoryRecords fetched = fetch(raw, topic, p);
                assertThat(batchesFromCrc(fetched)).as("partition %d", p).isEqualTo(batchesFromCrc(sent.get(p)));
            }
        }
    }

    /** One request, acks=all, with partition p's batch for each of the partitions given. */
    private static ProduceRequestData produce(String topic, List<MemoryRecords> batches, Set<Integer> partitions) {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        for (int p : partitions) {
            data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                    .setRecords(MemoryRecords.readableRecords(batches.get(p).buffer().duplicate())));
        }
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(data);
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics);
    }

    private static MemoryRecords fetch(RawKafka raw, String topic, int partition) throws Exception {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(500).setMinBytes(1)
                .setMaxBytes(1 << 20).setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(topic)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(partition)
                                .setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));
        FetchResponseData response = (FetchResponseData) raw.call(request, (short) 12);
        FetchResponseData.PartitionData data = response.responses().get(0).partitions().get(0);
        assertThat(data.errorCode()).isZero();
        return (MemoryRecords) data.records();
    }

    /** Where a v2 batch's CRC starts: after its base offset (8 bytes), length (4), leader epoch (4) and magic (1). */
    private static final int CRC_OFFSET = 17;

    /** Each batch's bytes from its CRC field to its end, in hex. */
    private static List<String> batchesFromCrc(MemoryRecords records) {
        List<String> batches = new ArrayList<>();
        ByteBuffer buffer = records.buffer();
        for (RecordBatch batch : records.batches()) {
            int start = buffer.position() + CRC_OFFSET;
            byte[] tail = new byte[batch.sizeInBytes() - CRC_OFFSET];
            buffer.get(start, tail);
            batches.add(HexFormat.of().formatHex(tail));
            buffer.position(buffer.position() + batch.sizeInBytes());
        }
        buffer.rewind();
        return batches;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void adminCreatesDescribesGrowsAndDeletesTopics() throws Exception {
        for (int rf = 1; rf <= 3; rf++) {
            create("admin-rf" + rf, 3, rf);
        }
        admin.createTopics(List.of(new NewTopic("admin-configured", 2, (short) 3)
                .configs(Map.of("retention.ms", "3600000", "cleanup.policy", "delete")))).all().get();

        assertThat(admin.listTopics().names().get())
                .contains("admin-rf1", "admin-rf2", "admin-rf3", "admin-configured");
        Map<String, TopicDescription> described = admin.describeTopics(List.of("admin-rf1", "admin-rf3"))
                .allTopicNames().get();
        assertThat(described.get("admin-rf1").partitions()).hasSize(3);
        assertThat(described.get("admin-rf1").partitions().get(0).replicas()).hasSize(1);
        assertThat(described.get("admin-rf3").partitions().get(0).replicas()).hasSize(3);
        assertThat(described.get("admin-rf3").topicId()).isNotEqualTo(Uuid.ZERO_UUID);

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-configured");
        ConfigEntry retention = admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET)))).all().get();
        assertThat(admin.describeConfigs(List.of(resource)).all().get().get(resource).get("retention.ms").value())
                .isEqualTo("7200000");

        admin.createPartitions(Map.of("admin-rf2", NewPartitions.increaseTo(5))).all().get();
        assertThat(admin.describeTopics(List.of("admin-rf2")).allTopicNames().get().get("admin-rf2").partitions())
                .hasSize(5);

        admin.deleteTopics(List.of("admin-rf1")).all().get();
        assertThat(admin.listTopics().names().get()).doesNotContain("admin-rf1");
    }

    @Test
    void adminRefusalsCarryKafkaErrors() throws Exception {
        create("refusals-existing", 1, 1);

        assertThatThrownBy(() -> create("refusals-existing", 1, 1)).hasCauseInstanceOf(TopicExistsException.class);
        assertThatThrownBy(() -> create("bad name!", 1, 1)).hasCauseInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> create("refusals-rf4", 1, 4))
                .hasCauseInstanceOf(InvalidReplicationFactorException.class);
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("refusals-config", 1, (short) 1)
                .configs(Map.of("no.such.config", "1")))).all().get())
                .hasCauseInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> admin.createPartitions(Map.of("refusals-existing", NewPartitions.increaseTo(1)))
                .all().get()).hasCauseInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void hundredThousandRecordsAcrossSixPartitionsReadBackExactlyInOrder() throws Exception {
        String topic = "bulk";
        create(topic, 6, 3);
        int count = 100_000;
        Map<TopicPartition, List<Long>> acked = new HashMap<>();
        try (KafkaProducer<String, String> producer = clients.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5))) {
            List<Future<RecordMetadata>> sends = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 600), Integer.toString(i))));
            }
            for (Future<RecordMetadata> send : sends) {
                RecordMetadata metadata = send.get(60, TimeUnit.SECONDS);
                acked.computeIfAbsent(new TopicPartition(topic, metadata.partition()), p -> new ArrayList<>())
                        .add(metadata.offset());
            }
        }
        assertThat(acked).hasSize(6);
        acked.values().forEach(offsets -> assertThat(offsets).doesNotHaveDuplicates());

        List<ConsumerRecord<String, String>> records = clients.readAll(topic, 6, count, Duration.ofSeconds(120));

        assertThat(records).hasSize(count);
        Map<Integer, Long> nextOffset = new HashMap<>();
        Map<String, Integer> lastValueOfKey = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            long expected = nextOffset.getOrDefault(record.partition(), 0L);
            assertThat(record.offset()).as("gapless offsets in partition %d", record.partition()).isEqualTo(expected);
            nextOffset.put(record.partition(), expected + 1);
            int value = Integer.parseInt(record.value());
            Integer previous = lastValueOfKey.put(record.key(), value);
            assertThat(previous == null || previous < value).as("order of key %s", record.key()).isTrue();
        }
        assertThat(records.stream().map(ConsumerRecord::value).distinct()).hasSize(count);
    }

    /**
     * The Java consumer fetches in an incremental session (KIP-227): while records arrive in a few of 24 partitions at
     * a time, every one is read exactly once and in order, and the gateway holds the consumer's session.
     */
    @Test
    void aLiveTailOverManyPartitionsReadsEveryRecordOnceInItsSession() throws Exception {
        String topic = "tail-24";
        int partitions = 24;
        create(topic, partitions, 3);
        int count = 6_000;
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = clients.consumer();
                KafkaProducer<String, String> producer = clients.producer()) {
            List<TopicPartition> assigned = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assigned.add(new TopicPartition(topic, p));
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(100));
                assertThat(metric("sluice_fetch_sessions")).isPositive();
                assertThat(metric("sluice_fetch_session_partitions")).isGreaterThanOrEqualTo(partitions);
            });
            long deadline = System.currentTimeMillis() + 90_000;
            for (int sent = 0; read.size() < count && System.currentTimeMillis() < deadline;) {
                // A hundred records at a time into three partitions, so most partitions have nothing new.
                for (int i = 0; i < 100 && sent < count; i++, sent++) {
                    producer.send(new ProducerRecord<>(topic, (sent / 100 * 7 + i % 3) % partitions, null,
                            Integer.toString(sent)));
                }
                producer.flush();
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
            consumer.poll(Duration.ofMillis(1_000)).forEach(read::add);
        }
        assertThat(read.stream().map(ConsumerRecord::value).distinct()).hasSize(count);
        assertThat(read).hasSize(count);
        Map<Integer, Long> nextOffset = new HashMap<>();
        for (ConsumerRecord<String, String> record : read) {
            long expected = nextOffset.getOrDefault(record.partition(), 0L);
            assertThat(record.offset()).as("gapless offsets in partition %d", record.partition()).isEqualTo(expected);
            nextOffset.put(record.partition(), expected + 1);
        }
    }

    /**
     * A session's fetches, byte by byte as a client sends them: the full fetch opens it, an incremental fetch hears
     * only the partition a record went to, and a fetch of a wrong epoch or an unknown session is refused with Kafka's
     * errors while the session serves on. Each answered fetch gives its share of the gateway's fetch memory back
     * (session fetches once kept theirs till the connection closed, and consumers starved to one batch a fetch).
     */
    @Test
    void anIncrementalFetchHearsOnlyWhatChangedAndAWrongEpochIsRefused() throws Exception {
        String topic = "session-raw";
        create(topic, 3, 3);
        try (RawKafka raw = new RawKafka(clients.bootstrapServers());
                KafkaProducer<String, String> producer = clients.producer()) {
            FetchRequestData.FetchTopic all = new FetchRequestData.FetchTopic().setTopic(topic);
            for (int p = 0; p < 3; p++) {
                all.partitions().add(new FetchRequestData.FetchPartition().setPartition(p).setFetchOffset(0)
                        .setPartitionMaxBytes(1 << 20));
            }
            AtomicReference<FetchResponseData> full = new AtomicReference<>();
            // Until every leader is known and has answered.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                full.set(sessionFetch(raw, 0, 0, List.of(all.duplicate())));
                return full.get().responses().get(0).partitions().stream()
                        .allMatch(p -> p.errorCode() == 0 && p.highWatermark() == 0);
            });
            int session = full.get().sessionId();
            assertThat(session).isNotZero();
            assertThat(sessionFetch(raw, session, 1, List.of()).responses()).isEmpty();

            producer.send(new ProducerRecord<>(topic, 2, null, "news")).get(30, TimeUnit.SECONDS);
            FetchResponseData news = sessionFetch(raw, session, 2, List.of());
            assertThat(news.responses()).singleElement().satisfies(t -> assertThat(t.partitions()).singleElement()
                    .satisfies(p -> {
                        assertThat(p.partitionIndex()).isEqualTo(2);
                        assertThat(p.highWatermark()).isEqualTo(1);
                        assertThat(p.records().sizeInBytes()).isPositive();
                    }));

            assertThat(Errors.forCode(sessionFetch(raw, session, 2, List.of()).errorCode()))
                    .isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
            assertThat(Errors.forCode(sessionFetch(raw, session + 1, 3, List.of()).errorCode()))
                    .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
            FetchRequestData.FetchTopic moved = new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                    new FetchRequestData.FetchPartition().setPartition(2).setFetchOffset(1).setPartitionMaxBytes(1 << 20)));
            FetchResponseData after = sessionFetch(raw, session, 3, List.of(moved));
            assertThat(Errors.forCode(after.errorCode())).isEqualTo(Errors.NONE);
            assertThat(after.responses()).isEmpty();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(metric("sluice_fetch_memory_used_bytes")).isZero());
        }
    }

    private static FetchResponseData sessionFetch(RawKafka raw, int session, int epoch,
            List<FetchRequestData.FetchTopic> topics) throws Exception {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(100).setMinBytes(1)
                .setMaxBytes(1 << 20).setSessionId(session).setSessionEpoch(epoch).setTopics(new ArrayList<>(topics));
        return (FetchResponseData) raw.call(request, (short) 12);
    }

    private static double metric(String name) throws Exception {
        // HTTP/1.1 as Prometheus scrapes: the JDK client's h2c upgrade to /q/metrics once read a reply as frames.
        HttpResponse<String> metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(cluster.httpUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return metrics.body().lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @ParameterizedTest
    @ValueSource(strings = { "none", "gzip", "snappy", "lz4", "zstd" })
    void everyCodecKeepsKeysHeadersAndTimestamps(String codec) throws Exception {
        String topic = "codec-" + codec;
        create(topic, 2, 3);
        int count = 500;
        // Recent: records older than the topic's retention (7 days) may be deleted at once, as in Kafka.
        long firstTimestamp = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<String, String> producer = clients.producer(
                Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec))) {
            for (int i = 0; i < count; i++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, i % 2, firstTimestamp + i,
                        "k" + i, "value " + i + " " + "x".repeat(i % 50));
                record.headers().add(new RecordHeader("h", ("header-" + i).getBytes(StandardCharsets.UTF_8)));
                producer.send(record);
            }
            producer.flush();
        }

        List<ConsumerRecord<String, String>> records = clients.readAll(topic, 2, count, Duration.ofSeconds(60));

        assertThat(records).hasSize(count);
        for (ConsumerRecord<String, String> record : records) {
            int i = Integer.parseInt(record.key().substring(1));
            assertThat(record.value()).isEqualTo("value " + i + " " + "x".repeat(i % 50));
            assertThat(record.timestamp()).isEqualTo(firstTimestamp + i);
            assertThat(new String(record.headers().lastHeader("h").value(), StandardCharsets.UTF_8))
                    .isEqualTo("header-" + i);
            assertThat(record.partition()).isEqualTo(i % 2);
        }
    }

    @Test
    void acksZeroAndOneAreStoredToo() throws Exception {
        String topic = "acks";
        create(topic, 1, 3);
        for (String acks : List.of("0", "1")) {
            try (KafkaProducer<String, String> producer = clients.producer(
                    Map.of(ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
                for (int i = 0; i < 200; i++) {
                    producer.send(new ProducerRecord<>(topic, "acks-" + acks, Integer.toString(i)));
                }
                producer.flush();
            }
        }

        List<ConsumerRecord<String, String>> records = clients.readAll(topic, 1, 400, Duration.ofSeconds(30));

        assertThat(records).hasSize(400);
        assertThat(records.stream().filter(r -> r.key().equals("acks-0"))).hasSize(200);
    }

    @Test
    void seekAndOffsetsForTimesFindRecords() throws Exception {
        String topic = "by-time";
        create(topic, 1, 2);
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, 10_000L + i * 10, null, "at-" + i)).get();
            }
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = clients.consumer()) {
            consumer.assign(List.of(partition));

            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(partition, 10_505L));
            assertThat(found.get(partition).offset()).isEqualTo(51);
            assertThat(found.get(partition).timestamp()).isEqualTo(10_510L);
            assertThat(consumer.offsetsForTimes(Map.of(partition, 99_999L)).get(partition)).isNull();
            assertThat(consumer.endOffsets(List.of(partition)).get(partition)).isEqualTo(100);
            assertThat(consumer.beginningOffsets(List.of(partition)).get(partition)).isZero();

            consumer.seek(partition, 42);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (records.size() < 58 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).hasSize(58);
            assertThat(records.get(0).value()).isEqualTo("at-42");
        }
    }

    /**
     * Admin's deleteRecords (kafka-delete-records.sh, Kafka Streams' purge of repartition topics) moves each
     * partition's log start: consumers from the beginning start there, and an offset past the end is refused.
     */
    @Test
    void deleteRecordsMovesTheLogStart() throws Exception {
        String topic = "purged";
        create(topic, 2, 3);
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, "v" + i));
            }
        }
        TopicPartition first = new TopicPartition(topic, 0);
        TopicPartition second = new TopicPartition(topic, 1);

        Map<TopicPartition, DeletedRecords> deleted = new HashMap<>();
        admin.deleteRecords(Map.of(first, RecordsToDelete.beforeOffset(30), second, RecordsToDelete.beforeOffset(50)))
                .lowWatermarks().forEach((tp, low) -> deleted.put(tp, futureValue(low)));

        assertThat(deleted.get(first).lowWatermark()).isEqualTo(30);
        assertThat(deleted.get(second).lowWatermark()).as("the high watermark").isEqualTo(50);
        assertThatThrownBy(() -> admin.deleteRecords(Map.of(first, RecordsToDelete.beforeOffset(51))).all()
                .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(OffsetOutOfRangeException.class);
        try (KafkaConsumer<String, String> consumer = clients.consumer()) {
            consumer.assign(List.of(first, second));
            assertThat(consumer.beginningOffsets(List.of(first, second))).containsEntry(first, 30L)
                    .containsEntry(second, 50L);
            consumer.seekToBeginning(List.of(first, second));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (records.size() < 20 && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            assertThat(records).extracting(ConsumerRecord::offset).containsExactlyElementsOf(
                    LongStream.range(30, 50).boxed().toList());
            assertThat(records.get(0).value()).isEqualTo("v60");
        }
    }

    /**
     * Admin's electLeaders (kafka-leader-election.sh): a partition led by its first replica, as Sluice places every
     * leader on the primary owner of its data, needs no preferred election, and an election over every partition
     * reports no error.
     */
    @Test
    void preferredLeadersNeedNoElection() throws Exception {
        String topic = "elected";
        create(topic, 2, 3);
        TopicPartition first = new TopicPartition(topic, 0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode partition = clusterPartition(topic, 0);
            assertThat(partition.path("leader").asInt()).isEqualTo(partition.path("replicas").path(0).asInt());
        });

        Map<TopicPartition, Optional<Throwable>> named = admin.electLeaders(ElectionType.PREFERRED, Set.of(first))
                .partitions().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Optional<Throwable>> every = admin.electLeaders(ElectionType.PREFERRED, null)
                .partitions().get(30, TimeUnit.SECONDS);

        assertThat(named).containsOnlyKeys(first);
        assertThat(named.get(first)).get().isInstanceOf(ElectionNotNeededException.class);
        assertThat(every).allSatisfy((partition, error) -> assertThat(error).as("%s", partition).isEmpty());
        TopicPartition absent = new TopicPartition(topic, 9);
        assertThat(admin.electLeaders(ElectionType.PREFERRED, Set.of(absent)).partitions().get(30, TimeUnit.SECONDS)
                .get(absent)).get().isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    /**
     * Admin's partition reassignments (kafka-reassign-partitions.sh): a partition's replicas are the owners of its data
     * in the store, so none is ever being reassigned; the current replicas are accepted, others refused.
     */
    @Test
    void replicasAreTheStoresOwnersAndAreNotReassignedByHand() throws Exception {
        String topic = "reassigned";
        create(topic, 1, 3);
        TopicPartition partition = new TopicPartition(topic, 0);
        // A new partition's replicas settle once its brokers report the store's owners; read them after that.
        List<Integer> replicas = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            replicas.clear();
            admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .get(0).replicas().forEach(node -> replicas.add(node.id()));
            List<Integer> placed = new ArrayList<>();
            clusterPartition(topic, 0).path("replicas").forEach(id -> placed.add(id.asInt()));
            assertThat(replicas).isEqualTo(placed);
        });
        List<Integer> reversed = new ArrayList<>(replicas);
        Collections.reverse(reversed);

        assertThat(admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS)).isEmpty();
        admin.alterPartitionReassignments(Map.of(partition, Optional.of(new NewPartitionReassignment(replicas))))
                .all().get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(partition,
                Optional.of(new NewPartitionReassignment(reversed)))).all().get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("owners of its data");
        assertThatThrownBy(() -> admin.alterPartitionReassignments(Map.of(partition, Optional.empty())).all()
                .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(NoReassignmentInProgressException.class);
        assertThat(admin.listPartitionReassignments(Set.of(partition)).reassignments().get(30, TimeUnit.SECONDS))
                .isEmpty();
    }

    /** A partition as the active coordinator's {@code GET /cluster} shows it: real leader, epoch and replicas. */
    private static JsonNode clusterPartition(String topic, int partition) {
        for (JsonNode t : cluster.clusterView().orElseThrow().path("topics")) {
            if (t.path("name").asText().equals(topic)) {
                return t.path("partitions").path(partition);
            }
        }
        throw new AssertionError(topic + " is not in the coordinator's view");
    }

    /**
     * Admin's describeLogDirs (kafka-log-dirs.sh, the topic sizes UIs show): every broker's store as a log dir, each
     * partition in exactly one of them, its leader's, with its size.
     */
    @Test
    void logDirsShowEachPartitionOnceWithItsSize() throws Exception {
        String topic = "sized";
        create(topic, 3, 2);
        try (KafkaProducer<String, String> producer = clients.producer()) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, i % 3, null, "record " + i));
            }
        }
        List<Integer> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id)
                .toList();

        Map<TopicPartition, Long> sizes = new HashMap<>();
        admin.describeLogDirs(nodes).allDescriptions().get(30, TimeUnit.SECONDS).values()
                .forEach(dirs -> dirs.forEach((dir, description) -> {
                    assertThat(description.error()).as(dir).isNull();
                    assertThat(description.totalBytes()).as(dir).isPresent();
                    description.replicaInfos().forEach((partition, replica) -> {
                        if (partition.topic().equals(topic)) {
                            assertThat(sizes.put(partition, replica.size())).as("%s in one log dir", partition)
                                    .isNull();
                        }
                    });
                }));

        assertThat(sizes).containsOnlyKeys(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                new TopicPartition(topic, 2));
        assertThat(sizes.values()).allSatisfy(size -> assertThat(size).isPositive());
    }

    /**
     * Client quotas as {@code kafka-configs.sh --entity-type clients} sets them: a producer over its byte rate is held
     * to it (within 20 %, measured once its first burst is spent), another client at the same time is not.
     */
    @Test
    void aProducerOverItsByteRateIsHeldToItAndOthersAreNot() throws Exception {
        double quota = 100_000;
        ClientQuotaEntity throttled = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "throttled"));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(throttled,
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", quota))))).all().get(30, TimeUnit.SECONDS);
        assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(
                List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, "throttled"))))
                .entities().get(30, TimeUnit.SECONDS)).containsEntry(throttled, Map.of("producer_byte_rate", quota));
        String topic = "quota";
        create(topic, 1, 3);

        ProducedBytes held = new ProducedBytes("throttled", topic, Long.MAX_VALUE);
        ProducedBytes free = new ProducedBytes("unthrottled", topic, 3_000_000);
        Thread heldThread = new Thread(held);
        Thread freeThread = new Thread(free);
        heldThread.start();
        freeThread.start();
        Thread.sleep(10_000);
        held.stop = true;
        heldThread.join(30_000);
        freeThread.join(30_000);

        double heldRate = held.rateBetween(2_000, 10_000);
        System.out.printf("DataPathIT: throttled producer %.0f B/s against a quota of %.0f; the other %.0f B/s%n",
                heldRate, quota, free.rateBetween(0, Long.MAX_VALUE));
        assertThat(heldRate).as("throttled producer's bytes per second, from 2 s to 10 s")
                .isBetween(quota * 0.8, quota * 1.2);
        assertThat(free.rateBetween(0, Long.MAX_VALUE)).as("the other producer's bytes per second")
                .isGreaterThan(quota * 3);
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(throttled,
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", null))))).all().get(30, TimeUnit.SECONDS);
    }

    /**
     * {@code controller_mutation_rate} (KIP-599): topic by topic, a client past its partitions per second has the rest
     * of its topics refused with THROTTLING_QUOTA_EXCEEDED and how long to wait, and gets them once it waited (Admin
     * retries by itself); another client creates topics meanwhile.
     */
    @Test
    void aClientOverItsControllerMutationRateWaitsAndOthersDoNot() throws Exception {
        ClientQuotaEntity mutating = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "mutating"));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(mutating,
                List.of(new ClientQuotaAlteration.Op("controller_mutation_rate", 1.0))))).all()
                .get(30, TimeUnit.SECONDS);
        try (Admin limited = clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "mutating"))) {
            CreateTopicsOptions once = new CreateTopicsOptions().retryOnQuotaViolation(false);
            // The gateway learns of the quota within a poll of the security state. Then the first topic's 4
            // partitions are taken from the 1 a second allows (a debt of 3 s), and the second is refused.
            AtomicInteger probe = new AtomicInteger();
            AtomicReference<CreateTopicsResult> refused = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                int n = probe.incrementAndGet();
                CreateTopicsResult result = limited.createTopics(List.of(new NewTopic("mutated-" + n, 4, (short) 1),
                        new NewTopic("mutated-" + n + "-more", 1, (short) 1)), once);
                result.values().get("mutated-" + n).get(30, TimeUnit.SECONDS);
                refused.set(result);
                return result.values().get("mutated-" + n + "-more").toCompletionStage().handle((v, e) -> e != null)
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
            });
            String more = "mutated-" + probe.get() + "-more";
            assertThatThrownBy(() -> refused.get().values().get(more).get()).cause().isInstanceOfSatisfying(
                    ThrottlingQuotaExceededException.class, e -> assertThat(e.throttleTimeMs()).isBetween(1, 4_000));

            long asked = System.nanoTime();
            admin.createTopics(List.of(new NewTopic("mutated-by-another", 4, (short) 1))).all()
                    .get(10, TimeUnit.SECONDS);
            assertThat((System.nanoTime() - asked) / 1_000_000).as("ms another client waited").isLessThan(2_000);
            asked = System.nanoTime();
            limited.createTopics(List.of(new NewTopic("mutated-later", 1, (short) 1),
                    new NewTopic("mutated-later-more", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            System.out.printf("DataPathIT: the throttled client's two topics were created after %d ms%n",
                    (System.nanoTime() - asked) / 1_000_000);
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains("mutated-later", "mutated-later-more").doesNotContain(more);
        } finally {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(mutating,
                    List.of(new ClientQuotaAlteration.Op("controller_mutation_rate", null))))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code request_percentage}: a client asking for metadata as fast as it can, with 0.5 % of one thread's time on
     * the gateway, is slowed to a fraction of what another client asking alike at the same time gets.
     */
    @Test
    void aClientOverItsRequestPercentageIsSlowedAndOthersAreNot() throws Exception {
        ClientQuotaEntity busy = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "busy"));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(busy,
                List.of(new ClientQuotaAlteration.Op("request_percentage", 0.5))))).all().get(30, TimeUnit.SECONDS);
        try (Admin limited = clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "busy"));
                Admin free = clients.admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "not-busy"))) {
            Thread.sleep(2_000); // the gateway learns of the quota within a poll of the security state
            AtomicInteger limitedCalls = new AtomicInteger();
            AtomicInteger freeCalls = new AtomicInteger();
            long until = System.nanoTime() + 8_000_000_000L;
            Thread limitedThread = new Thread(() -> describeUntil(limited, until, limitedCalls));
            Thread freeThread = new Thread(() -> describeUntil(free, until, freeCalls));
            limitedThread.start();
            freeThread.start();
            limitedThread.join(60_000);
            freeThread.join(60_000);

            System.out.printf("DataPathIT: in 8 s the client with 0.5 %% of a thread made %d DescribeCluster calls,"
                    + " the other %d%n", limitedCalls.get(), freeCalls.get());
            assertThat(limitedCalls.get()).isPositive();
            assertThat(limitedCalls.get()).as("calls of the client with a request quota")
                    .isLessThan(freeCalls.get() / 3);
        } finally {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(busy,
                    List.of(new ClientQuotaAlteration.Op("request_percentage", null))))).all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static void describeUntil(Admin client, long untilNanos, AtomicInteger calls) {
        while (System.nanoTime() < untilNanos) {
            try {
                client.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            calls.incrementAndGet();
        }
    }

    /** A producer sending 1 kB records as fast as it may, noting when each byte was acknowledged. */
    private static final class ProducedBytes implements Runnable {
        private final String clientId;
        private final String topic;
        private final long budget;
        private final long startedAt = System.nanoTime();
        private final List<long[]> acknowledged = Collections.synchronizedList(new ArrayList<>());
        volatile boolean stop;

        ProducedBytes(String clientId, String topic, long budget) {
            this.clientId = clientId;
            this.topic = topic;
            this.budget = budget;
        }

        @Override
        public void run() {
            String value = "v".repeat(1_000);
            // A small buffer: sends wait for room instead of piling up what a stop would have to wait out.
            KafkaProducer<String, String> producer = clients.producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG,
                    clientId, ProducerConfig.COMPRESSION_TYPE_CONFIG, "none", ProducerConfig.BUFFER_MEMORY_CONFIG,
                    65_536));
            try {
                for (long sent = 0; sent < budget && !stop; sent += value.length()) {
                    producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.add(new long[] { (System.nanoTime() - startedAt) / 1_000_000,
                                    value.length() });
                        }
                    });
                }
                producer.flush();
            } finally {
                producer.close(Duration.ZERO);
            }
        }

        /** Bytes per second acknowledged from {@code fromMs} to {@code toMs} after the start (or the last ack). */
        double rateBetween(long fromMs, long toMs) {
            synchronized (acknowledged) {
                long bytes = acknowledged.stream().filter(a -> a[0] >= fromMs && a[0] < toMs).mapToLong(a -> a[1])
                        .sum();
                long last = acknowledged.stream().mapToLong(a -> a[0]).max().orElse(fromMs);
                return bytes * 1_000.0 / Math.max(1, Math.min(toMs, last) - fromMs);
            }
        }
    }

    private static <T> T futureValue(KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void topicsAreCreatedOnFirstUse() throws Exception {
        try (KafkaProducer<String, String> producer = clients.producer()) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>("auto-created", "k", "v"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(metadata.offset()).isZero();
        }
        TopicDescription description = admin.describeTopics(List.of("auto-created")).allTopicNames().get()
                .get("auto-created");
        assertThat(description.partitions()).hasSize(1);
        assertThat(description.partitions().get(0).replicas()).hasSize(3);
    }

    @Test
    void consumerThatMayNotCreateTopicsSeesNone() {
        try (KafkaConsumer<String, String> consumer = clients.consumer(Map.of("allow.auto.create.topics", false))) {
            Collection<?> partitions = consumer.partitionsFor("never-created", Duration.ofSeconds(10));
            assertThat(partitions).isEmpty();
        }
        assertTopicAbsent("never-created");
    }

    private static void assertTopicAbsent(String topic) {
        try {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names).doesNotContain(topic);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }
}
