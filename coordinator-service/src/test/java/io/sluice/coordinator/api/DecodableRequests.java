package io.sluice.coordinator.api;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.BoundField;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.Struct;
import org.apache.kafka.common.protocol.types.TaggedFields;
import org.apache.kafka.common.protocol.types.Type;

import io.sluice.protocol.codec.RequestDecoder;

/**
 * Random requests a fuzzing client could send: written field by field from Kafka's own schema of each API version,
 * with the values that break careless servers (empty and invalid names, nulls wherever the schema allows them,
 * negative and huge counts, repeated entries, unknown type and operation codes), then decoded as the coordinator
 * decodes them. Every one is decodable, so the coordinator owes each an answer.
 */
final class DecodableRequests {

    private static final List<String> NAMES = List.of("", "a", "..", "bad name!", "x".repeat(300), "1", "g");
    private static final List<String> CONFIG_NAMES = List.of("retention.ms", "cleanup.policy", "segment.ms",
            "preallocate", "min.cleanable.dirty.ratio", "compression.type", "unknown.config");
    private static final List<String> CONFIG_VALUES = List.of("1000", "compact", "delete,compact", "true", "NaN",
            "-5", "", "soon", "zstd");

    private final Random random;
    private final String knownTopic;
    private final Uuid knownTopicId;

    /** @param knownTopic a topic that exists, named or referred to by id in about a third of the places */
    DecodableRequests(long seed, String knownTopic, Uuid knownTopicId) {
        this.random = new Random(seed);
        this.knownTopic = knownTopic;
        this.knownTopicId = knownTopicId;
    }

    /** A request body of {@code api} at {@code version}, as the coordinator's decoder reads it off the wire. */
    ApiMessage next(ApiKeys api, short version) {
        ApiMessageType type = ApiMessageType.fromApiKey(api.id);
        Schema schema = type.requestSchemas()[version];
        Object body = value(schema, "");
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(1).setClientId("fuzzer");
        short headerVersion = type.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer frame = ByteBuffer.allocate(header.size(cache, headerVersion) + schema.sizeOf(body));
        header.write(new ByteBufferAccessor(frame), cache, headerVersion);
        schema.write(frame, body);
        return RequestDecoder.decode(frame.flip()).body();
    }

    private Object value(Type type, String field) {
        if (type instanceof Schema schema) {
            return type.isNullable() && one(8) ? null : struct(schema);
        }
        if (type instanceof TaggedFields) {
            return new TreeMap<Integer, Object>();
        }
        if (type.isArray()) {
            return type.isNullable() && one(5) ? null : array(type.arrayElementType().orElseThrow(), field);
        }
        if (type == Type.BOOLEAN) {
            return random.nextBoolean();
        }
        if (type == Type.INT8) {
            return (byte) switch (field) {
                case "resource_type" -> pick(2, 2, 2, 4, 0, 99, 8, 32);
                case "config_operation" -> pick(0, 1, 2, 3, 3, 9, -1);
                default -> pick(-1, 0, 1, 2, 3, 4, 8, 9, 16, 32, 127);
            };
        }
        if (type == Type.INT16) {
            return (short) pick(-1, 0, 1, 2, 3, Short.MAX_VALUE, Short.MIN_VALUE);
        }
        if (type == Type.INT32 || type == Type.VARINT) {
            return field.contains("timeout")
                    ? pick(-1, 0, 6_000, 10_000, 60_000, Integer.MAX_VALUE, Integer.MIN_VALUE)
                    : pick(-1, 0, 1, 2, 3, 30_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE);
        }
        if (type == Type.UINT16) {
            return pick(0, 1, 65_535);
        }
        if (type == Type.UNSIGNED_INT32) {
            return (long) pick(0, 1);
        }
        if (type == Type.INT64 || type == Type.VARLONG) {
            return one(5) ? Long.MAX_VALUE : (long) pick(-1, 0, 1, 2, 1000);
        }
        if (type == Type.FLOAT64) {
            return Double.NaN;
        }
        if (type == Type.UUID) {
            return List.of(Uuid.ZERO_UUID, new Uuid(random.nextLong(), random.nextLong()), knownTopicId)
                    .get(random.nextInt(3));
        }
        if (type == Type.STRING || type == Type.COMPACT_STRING || type == Type.NULLABLE_STRING
                || type == Type.COMPACT_NULLABLE_STRING) {
            return type.isNullable() && one(4) ? null : string(field);
        }
        if (type == Type.BYTES || type == Type.COMPACT_BYTES || type == Type.NULLABLE_BYTES
                || type == Type.COMPACT_NULLABLE_BYTES) {
            byte[] bytes = new byte[pick(0, 1, 4, 16)];
            random.nextBytes(bytes);
            return type.isNullable() && one(4) ? null : ByteBuffer.wrap(bytes);
        }
        throw new IllegalArgumentException("no values for " + type + " (" + field + ")");
    }

    private Struct struct(Schema schema) {
        Struct struct = new Struct(schema);
        for (BoundField field : schema.fields()) {
            struct.set(field, value(field.def.type, field.def.name));
        }
        return struct;
    }

    /** Up to three entries; a later one is sometimes the first again, as a repeated topic or resource. */
    private Object[] array(Type element, String field) {
        Object[] items = new Object[pick(0, 1, 1, 2, 2, 3)];
        for (int i = 0; i < items.length; i++) {
            items[i] = i > 0 && one(4) ? items[0] : value(element, field);
        }
        return items;
    }

    private String string(String field) {
        if (field.equals("value")) {
            return CONFIG_VALUES.get(random.nextInt(CONFIG_VALUES.size()));
        }
        if (field.equals("name") && random.nextBoolean()) {
            return CONFIG_NAMES.get(random.nextInt(CONFIG_NAMES.size()));
        }
        return one(3) ? knownTopic : NAMES.get(random.nextInt(NAMES.size()));
    }

    private boolean one(int in) {
        return random.nextInt(in) == 0;
    }

    private int pick(int... options) {
        return options[random.nextInt(options.length)];
    }
}
