package io.sluice.gateway.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.sluice.gateway.GatewayConfig;
import io.sluice.gateway.http.ProduceRounds.Placed;
import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.quota.ClientQuotas;
import io.sluice.gateway.quota.QuotaAccount;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.sluice.protocol.record.PlainRecord;
import io.sluice.protocol.record.PlainRecords;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Produce over HTTP: reads and checks the whole body first (a request with any bad record produces nothing), places
 * the records and sends them as a Kafka producer's would go ({@link ProduceRounds}). Keyed records go where Kafka's
 * default partitioner puts them; the unkeyed records of one request go to one partition, the next request's to the
 * next. A caller over its {@code producer_byte_rate} waits what it owes before its records are sent; then their
 * batches' bytes count against it.
 */
final class HttpProducer {

    private static final Set<String> RECORD_FIELDS = Set.of("key", "value", "partition", "timestamp", "headers");

    private final MetadataView metadata;
    private final LeaderRequests leaders;
    private final GatewayConfig.Http limits;
    private final AtomicInteger unkeyed = new AtomicInteger();

    HttpProducer(MetadataView metadata, LeaderRequests leaders, GatewayConfig.Http limits) {
        this.metadata = metadata;
        this.leaders = leaders;
        this.limits = limits;
    }

    /** A record as the client gave it, and the partition it named for it (null: the producer picks one). */
    record Outgoing(Integer partition, PlainRecord record) {
    }

    /**
     * Produces a Strimzi bridge body ({@code {"records":[…]}}). Called on a worker thread, which it may block while
     * the topic is looked up.
     *
     * @param pathPartition the partition the request's path names, or null
     */
    CompletableFuture<ProduceAnswer> produce(String topicName, Integer pathPartition, EmbeddedFormat format,
            byte[] body, QuotaAccount quota) {
        List<JsonNode> given = records(body);
        // On the caller's worker thread: the checks below may take a while for a large body.
        TopicView topic = Topics.find(metadata, topicName).join();
        return produce(topic, outgoing(topic, pathPartition, format, given), quota);
    }

    /**
     * Places the records (each checked with {@link #check}: any refused, nothing is sent) and sends them; every
     * record's outcome is in the answer, in order.
     */
    CompletableFuture<ProduceAnswer> produce(TopicView topic, List<Outgoing> records, QuotaAccount quota) {
        int unkeyedPartition = Math.floorMod(unkeyed.getAndIncrement(), topic.partitions().size());
        List<Placed> placed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            Outgoing record = records.get(i);
            check(topic, record, "record " + i);
            int partition = record.partition() != null ? record.partition()
                    : record.record().key() != null
                            ? PlainRecords.partitionForKey(record.record().key(), topic.partitions().size())
                            : unkeyedPartition;
            placed.add(new Placed(partition, record.record()));
        }
        return send(topic, placed, quota);
    }

    /** Refuses a record over the size limit (413) or for a partition the topic lacks (404). */
    void check(TopicView topic, Outgoing record, String what) {
        if (record.record().payloadSize() > limits.maxRecordSize()) {
            throw HttpError.tooLarge(what + " carries " + record.record().payloadSize() + " bytes; at most "
                    + limits.maxRecordSize());
        }
        int partitions = topic.partitions().size();
        if (record.partition() != null && (record.partition() < 0 || record.partition() >= partitions)) {
            throw HttpError.notFound(what + ": partition " + record.partition() + " of topic " + topic.name()
                    + " does not exist (it has " + partitions + ")");
        }
    }

    /** The most records one request may carry. */
    int maxRecords() {
        return limits.maxRecords();
    }

    private List<JsonNode> records(byte[] body) {
        JsonNode root;
        try {
            root = EmbeddedFormat.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw HttpError.unprocessable("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.unprocessable("the body is not JSON");
        }
        if (root == null || !root.isObject() || !root.path("records").isArray()) {
            throw HttpError.unprocessable("the body must be an object with an array of records: {\"records\":[...]}");
        }
        Iterator<String> fields = root.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (!field.equals("records")) {
                throw HttpError.unprocessable("unknown field '" + field + "' in the body");
            }
        }
        JsonNode records = root.get("records");
        if (records.isEmpty()) {
            throw HttpError.unprocessable("no records to produce");
        }
        if (records.size() > limits.maxRecords()) {
            throw HttpError.tooLarge(records.size() + " records in one request; at most " + limits.maxRecords());
        }
        List<JsonNode> list = new ArrayList<>(records.size());
        records.forEach(list::add);
        return list;
    }

    private static List<Outgoing> outgoing(TopicView topic, Integer pathPartition, EmbeddedFormat format,
            List<JsonNode> given) {
        int partitions = topic.partitions().size();
        if (pathPartition != null && (pathPartition < 0 || pathPartition >= partitions)) {
            throw HttpError.notFound("partition " + pathPartition + " of topic " + topic.name()
                    + " does not exist (it has " + partitions + ")");
        }
        List<Outgoing> outgoing = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            JsonNode node = given.get(i);
            String what = "record " + i;
            if (!node.isObject()) {
                throw HttpError.unprocessable(what + " is not an object");
            }
            node.fieldNames().forEachRemaining(field -> {
                if (!RECORD_FIELDS.contains(field)) {
                    throw HttpError.unprocessable(what + " has an unknown field '" + field + "'");
                }
            });
            byte[] key = format.bytes(node.get("key"), what + "'s key");
            byte[] value = format.bytes(node.get("value"), what + "'s value");
            long timestamp = timestamp(node.get("timestamp"), what);
            PlainRecord record = PlainRecord.toProduce(timestamp, key, value, headers(node.get("headers"), what));
            Integer own = partition(node.get("partition"), what);
            if (own != null && pathPartition != null && !own.equals(pathPartition)) {
                throw HttpError.unprocessable(what + " names partition " + own + " on the path of partition "
                        + pathPartition);
            }
            outgoing.add(new Outgoing(pathPartition != null ? pathPartition : own, record));
        }
        return outgoing;
    }

    private static Integer partition(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw HttpError.unprocessable(what + "'s partition must be a whole number from 0");
        }
        return node.intValue();
    }

    private static long timestamp(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return -1;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw HttpError.unprocessable(what + "'s timestamp must be milliseconds since the epoch");
        }
        return node.longValue();
    }

    private static List<PlainRecord.Header> headers(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw HttpError.unprocessable(what + "'s headers must be an array of {\"key\":..,\"value\":..}");
        }
        List<PlainRecord.Header> headers = new ArrayList<>(node.size());
        for (JsonNode header : node) {
            JsonNode key = header.get("key");
            if (!header.isObject() || key == null || !key.isTextual() || header.size() > 2
                    || (header.size() == 2 && !header.has("value"))) {
                throw HttpError.unprocessable(what + "'s headers must be {\"key\":\"name\",\"value\":\"<base64>\"}");
            }
            headers.add(new PlainRecord.Header(key.textValue(),
                    EmbeddedFormat.BINARY.bytes(header.get("value"), what + "'s header " + key.textValue())));
        }
        return headers;
    }

    /** The batches are made before the caller waits out its quota, and sent after. */
    private CompletableFuture<ProduceAnswer> send(TopicView topic, List<Placed> placed, QuotaAccount quota) {
        ProduceRounds rounds = new ProduceRounds(topic.name(), placed, metadata, leaders);
        long batchBytes = rounds.batchBytes();
        return quota.paidUp(ClientQuotas.PRODUCER_BYTE_RATE)
                .thenCompose(paid -> rounds.send())
                .whenComplete((answer, failure) -> quota.spend(ClientQuotas.PRODUCER_BYTE_RATE, () -> batchBytes));
    }
}
