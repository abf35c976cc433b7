package io.sluice.gateway.http;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.sluice.gateway.quota.QuotaAccount;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.sluice.protocol.record.PlainRecord;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;

/**
 * Confluent REST v3's produce body: one record, or records one after another (concatenated JSON), each
 * {@code {"partition_id":…, "headers":[{"name":…,"value":<base64>}], "key":{"type":"BINARY|JSON|STRING","data":…},
 * "value":{…}, "timestamp":"<ISO-8601>"}}. Each record is read on its own, so one bad record is reported and the others
 * are produced, as Confluent's streaming mode does.
 */
final class V3Records {

    private static final Set<String> FIELDS = Set.of("partition_id", "headers", "key", "value", "timestamp");
    private static final Set<String> DATA_FIELDS = Set.of("type", "data");

    private V3Records() {
    }

    /** A record read: what to produce and how its key and value were given, or why it cannot be produced. */
    record Parsed(HttpProducer.Outgoing outgoing, String keyType, String valueType, HttpError error) {

        static Parsed refused(HttpError error) {
            return new Parsed(null, null, null, error);
        }

        Map<String, Object> keySize() {
            return sizeOf(keyType, outgoing.record().key());
        }

        Map<String, Object> valueSize() {
            return sizeOf(valueType, outgoing.record().value());
        }

        /** {@code {"type":…,"size":…}} of the key or value, as a delivery report shows it; null for none. */
        private static Map<String, Object> sizeOf(String type, byte[] bytes) {
            if (type == null) {
                return null;
            }
            Map<String, Object> size = new LinkedHashMap<>();
            size.put("type", type);
            size.put("size", bytes == null ? 0 : bytes.length);
            return size;
        }
    }

    /** The body's records, at most {@code max}; a body that is not JSON is a 400, nothing produced. */
    static List<JsonNode> split(byte[] body, int max) {
        List<JsonNode> records = new ArrayList<>();
        try (MappingIterator<JsonNode> values = EmbeddedFormat.MAPPER.readerFor(JsonNode.class).readValues(body)) {
            while (values.hasNextValue()) {
                if (records.size() == max) {
                    throw HttpError.tooLarge("more than " + max + " records in one request");
                }
                records.add(values.nextValue());
            }
        } catch (JacksonException e) {
            throw HttpError.badRequest("the body is not JSON records: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("the body cannot be read");
        }
        if (records.isEmpty()) {
            throw HttpError.badRequest("no records to produce");
        }
        return records;
    }

    /**
     * Produces records of the body: each is read and checked on its own, the good ones are sent together, and each
     * gets a delivery report, in order: 200 and where it is, or its own error.
     */
    static CompletableFuture<List<V3Bodies.DeliveryReport>> produce(HttpProducer producer, String clusterId,
            TopicView topic, List<JsonNode> given, QuotaAccount quota) {
        long now = System.currentTimeMillis();
        List<Parsed> parsed = new ArrayList<>(given.size());
        List<HttpProducer.Outgoing> outgoing = new ArrayList<>(given.size());
        for (JsonNode node : given) {
            Parsed record = parse(node, now);
            if (record.error() == null) {
                try {
                    producer.check(topic, record.outgoing(), "the record");
                    outgoing.add(record.outgoing());
                } catch (HttpError refused) {
                    record = Parsed.refused(refused);
                }
            }
            parsed.add(record);
        }
        CompletableFuture<ProduceAnswer> answered = outgoing.isEmpty()
                ? CompletableFuture.completedFuture(new ProduceAnswer(List.of()))
                : producer.produce(topic, outgoing, quota);
        return answered.thenApply(answer -> reports(clusterId, topic.name(), parsed, answer));
    }

    private static List<V3Bodies.DeliveryReport> reports(String clusterId, String topic, List<Parsed> parsed,
            ProduceAnswer answer) {
        Iterator<ProduceAnswer.Outcome> outcomes = answer.offsets().iterator();
        List<V3Bodies.DeliveryReport> reports = new ArrayList<>(parsed.size());
        for (Parsed record : parsed) {
            if (record.error() != null) {
                reports.add(new V3Bodies.DeliveryReport(record.error().status(), record.error().getMessage(), null,
                        null, null, null, null, null, null));
                continue;
            }
            ProduceAnswer.Outcome outcome = outcomes.next();
            reports.add(outcome.errorCode() != null
                    ? new V3Bodies.DeliveryReport(outcome.errorCode(), outcome.message(), clusterId, topic,
                            outcome.partition(), null, null, null, null)
                    : new V3Bodies.DeliveryReport(200, null, clusterId, topic, outcome.partition(), outcome.offset(),
                            isoTimestamp(record.outgoing().record().timestamp()), record.keySize(),
                            record.valueSize()));
        }
        return reports;
    }

    /** @param now the timestamp of a record that gives none, as a Kafka producer stamps it */
    static Parsed parse(JsonNode node, long now) {
        try {
            if (!node.isObject()) {
                throw HttpError.unprocessable("a record must be an object");
            }
            node.fieldNames().forEachRemaining(field -> {
                if (!FIELDS.contains(field)) {
                    throw HttpError.unprocessable("unknown field '" + field + "' in the record");
                }
            });
            Data key = data(node.get("key"), "key");
            Data value = data(node.get("value"), "value");
            PlainRecord record = PlainRecord.toProduce(timestamp(node.get("timestamp"), now), key.bytes(),
                    value.bytes(), headers(node.get("headers")));
            return new Parsed(new HttpProducer.Outgoing(partition(node.get("partition_id")), record), key.type(),
                    value.type(), null);
        } catch (HttpError e) {
            return Parsed.refused(e);
        }
    }

    /** A key or value: the type it was given in and its bytes. */
    private record Data(String type, byte[] bytes) {
    }

    private static Data data(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return new Data(null, null);
        }
        if (!node.isObject()) {
            throw HttpError.unprocessable(what + " must be {\"type\":\"BINARY|JSON|STRING\",\"data\":…}");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!DATA_FIELDS.contains(field)) {
                throw HttpError.unprocessable(what + " has '" + field + "': schemas are not supported, only the "
                        + "types BINARY, JSON and STRING");
            }
        });
        String type = node.path("type").asText("");
        EmbeddedFormat format = switch (type) {
            case "BINARY" -> EmbeddedFormat.BINARY;
            case "JSON" -> EmbeddedFormat.JSON;
            case "STRING" -> EmbeddedFormat.TEXT;
            default -> throw HttpError.unprocessable(what + "'s type must be BINARY, JSON or STRING");
        };
        return new Data(type, format.bytes(node.get("data"), what + "'s data"));
    }

    private static Integer partition(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
            throw HttpError.unprocessable("partition_id must be a whole number from 0");
        }
        return node.intValue();
    }

    private static long timestamp(JsonNode node, long now) {
        if (node == null || node.isNull()) {
            return now;
        }
        if (!node.isTextual()) {
            throw HttpError.unprocessable("timestamp must be an ISO-8601 date and time, e.g. 2026-12-02T18:00:00Z");
        }
        try {
            long millis = OffsetDateTime.parse(node.textValue()).toInstant().toEpochMilli();
            if (millis < 0) {
                throw HttpError.unprocessable("timestamp must not be before 1970");
            }
            return millis;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw HttpError.unprocessable("timestamp must be an ISO-8601 date and time, e.g. 2026-12-02T18:00:00Z");
        }
    }

    private static List<PlainRecord.Header> headers(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw HttpError.unprocessable("headers must be an array of {\"name\":…,\"value\":<base64>}");
        }
        List<PlainRecord.Header> headers = new ArrayList<>(node.size());
        for (JsonNode header : node) {
            JsonNode name = header.get("name");
            if (!header.isObject() || name == null || !name.isTextual() || header.size() > 2
                    || (header.size() == 2 && !header.has("value"))) {
                throw HttpError.unprocessable("headers must be {\"name\":\"…\",\"value\":\"<base64>\"}");
            }
            headers.add(new PlainRecord.Header(name.textValue(),
                    EmbeddedFormat.BINARY.bytes(header.get("value"), "header " + name.textValue())));
        }
        return headers;
    }

    /** A record's timestamp as the delivery report gives it. */
    static String isoTimestamp(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
