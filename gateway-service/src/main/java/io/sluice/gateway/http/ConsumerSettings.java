package io.sluice.gateway.http;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The settings of a consumer instance, from the bridge's creation body ({@code format}, {@code auto.offset.reset},
 * {@code enable.auto.commit}, {@code fetch.min.bytes}, {@code isolation.level}), with the bridge's defaults for those
 * left out. {@code consumer.request.timeout.ms}, the bridge's Kafka consumer's request timeout, is checked and
 * accepted for compatibility; the gateway's own deadlines on its requests to leaders apply instead.
 */
record ConsumerSettings(EmbeddedFormat format, String autoOffsetReset, boolean autoCommit, int fetchMinBytes,
        String isolation) {

    static final String FORMAT = "format";
    static final String AUTO_OFFSET_RESET = "auto.offset.reset";
    static final String AUTO_COMMIT = "enable.auto.commit";
    static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    static final String REQUEST_TIMEOUT = "consumer.request.timeout.ms";
    static final String ISOLATION = "isolation.level";
    private static final Set<String> FIELDS = Set.of("name", FORMAT, AUTO_OFFSET_RESET, AUTO_COMMIT, FETCH_MIN_BYTES,
            REQUEST_TIMEOUT, ISOLATION);
    /** How long a read waits for data when it names no timeout: the bridge's poll timeout. */
    static final int DEFAULT_WAIT_MS = 100;

    /**
     * Checks a creation body as the bridge does: a field it does not know or of the wrong type is a 400 (the bridge's
     * schema validation), a value no consumer takes a 422 (its configuration errors).
     */
    static Map<String, String> parse(JsonNode body) {
        Map<String, String> settings = new HashMap<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw HttpError.badRequest("unknown field '" + field + "'; a consumer takes " + FIELDS);
            }
        }
        settings.put(FORMAT, oneOf(body, FORMAT, "binary", "binary", "json", "text"));
        settings.put(AUTO_OFFSET_RESET, oneOf(body, AUTO_OFFSET_RESET, "latest", "earliest", "latest", "none"));
        settings.put(AUTO_COMMIT, oneOf(body, AUTO_COMMIT, "true", "true", "false"));
        settings.put(FETCH_MIN_BYTES, Integer.toString(number(body, FETCH_MIN_BYTES, 1)));
        settings.put(REQUEST_TIMEOUT, Integer.toString(number(body, REQUEST_TIMEOUT, 30_000)));
        settings.put(ISOLATION, oneOf(body, ISOLATION, "read_uncommitted", "read_uncommitted", "read_committed"));
        return settings;
    }

    static ConsumerSettings of(Map<String, String> settings) {
        return new ConsumerSettings(EmbeddedFormat.ofName(settings.get(FORMAT)), settings.get(AUTO_OFFSET_RESET),
                Boolean.parseBoolean(settings.get(AUTO_COMMIT)), Integer.parseInt(settings.get(FETCH_MIN_BYTES)),
                settings.get(ISOLATION));
    }

    /** Where a partition without a position or commit starts, as a ListOffsets timestamp; empty for none. */
    OptionalLong resetTo() {
        return switch (autoOffsetReset) {
            case "earliest" -> OptionalLong.of(InstanceState.EARLIEST);
            case "latest" -> OptionalLong.of(InstanceState.LATEST);
            default -> OptionalLong.empty();
        };
    }

    byte isolationLevel() {
        return (byte) (isolation.equals("read_committed") ? 1 : 0);
    }

    private static String oneOf(JsonNode body, String field, String defaultValue, String... allowed) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isTextual() && !value.isBoolean()) {
            throw HttpError.badRequest(field + " must be a string, not " + value);
        }
        String text = value.isBoolean() ? Boolean.toString(value.booleanValue()) : value.asText();
        for (String a : allowed) {
            if (a.equals(text)) {
                return a;
            }
        }
        throw HttpError.unprocessable(field + " must be one of " + String.join(", ", allowed) + ", not " + value);
    }

    private static int number(JsonNode body, String field, int defaultValue) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        long number;
        if (value.isIntegralNumber()) {
            number = value.longValue();
        } else if (value.isTextual() && value.textValue().matches("\\d{1,10}")) {
            number = Long.parseLong(value.textValue());
        } else {
            throw HttpError.badRequest(field + " must be a whole number, not " + value);
        }
        if (number < 0 || number > Integer.MAX_VALUE) {
            throw HttpError.unprocessable(field + " must be from 0 to " + Integer.MAX_VALUE + ", not " + number);
        }
        return (int) number;
    }
}
