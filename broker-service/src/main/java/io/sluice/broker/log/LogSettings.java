package io.sluice.broker.log;

import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;

import io.sluice.protocol.record.BatchValidator;

/** The topic configs a partition leader enforces, and the memory it keeps chunks in. */
public record LogSettings(int maxMessageBytes, BatchValidator.Rules records, long retentionMs, long retentionBytes,
        Cleanup cleanup, int chunkMaxBytes, RecentMemory recentMemory) {

    /** Kafka's default max.message.bytes. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    /** Kafka's default retention.ms: seven days. */
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 3600 * 1000;
    private static final String LOG_APPEND_TIME = "LogAppendTime";

    /**
     * Kafka's defaults for a topic (CreateTime, timestamps at most an hour ahead, keys optional, seven days, no size
     * limit) with this broker's chunk size and memory.
     */
    public static LogSettings defaults(int chunkMaxBytes, RecentMemory recentMemory) {
        return new LogSettings(DEFAULT_MAX_MESSAGE_BYTES, BatchValidator.Rules.KAFKA_DEFAULTS, DEFAULT_RETENTION_MS, -1,
                Cleanup.KAFKA_DEFAULTS, chunkMaxBytes, recentMemory);
    }

    /** Whether batches are stamped with the time they are appended (message.timestamp.type=LogAppendTime). */
    public boolean logAppendTime() {
        return records.logAppendTime();
    }

    /**
     * These settings with a topic's configs applied, as the coordinator describes them (only the values set on the
     * topic); a value that is absent or does not parse keeps the setting as it is.
     */
    public LogSettings withTopicConfigs(Map<String, String> configs) {
        String timestampType = configs.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
        Cleanup topicCleanup = cleanup.withTopicConfigs(configs);
        BatchValidator.Rules rules = new BatchValidator.Rules(
                timestampType == null ? records.logAppendTime() : LOG_APPEND_TIME.equals(timestampType),
                longOr(configs.get(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG), records.timestampBeforeMaxMs()),
                longOr(configs.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG), records.timestampAfterMaxMs()),
                topicCleanup.compact());
        return new LogSettings(
                intOr(configs.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), maxMessageBytes),
                rules,
                longOr(configs.get(TopicConfig.RETENTION_MS_CONFIG), retentionMs),
                longOr(configs.get(TopicConfig.RETENTION_BYTES_CONFIG), retentionBytes),
                topicCleanup, chunkMaxBytes, recentMemory);
    }

    private static int intOr(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static long longOr(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
