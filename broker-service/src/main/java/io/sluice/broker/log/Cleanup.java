package io.sluice.broker.log;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.TopicConfig;

/**
 * How a partition's old records go, from its topic's configs with Kafka's defaults: {@code cleanup.policy} delete
 * (retention) and/or compact (the latest record per key stays), and compaction's settings. The active part of a
 * compacted log, never cleaned, is its open segment, rolled as Kafka rolls one: when it holds {@code segment.bytes} or
 * is {@code segment.ms} old as the next chunk is written.
 */
public record Cleanup(boolean delete, boolean compact, long deleteRetentionMs, long minCompactionLagMs,
        long maxCompactionLagMs, double minCleanableDirtyRatio, long segmentMs, long segmentBytes) {

    public static final Cleanup KAFKA_DEFAULTS = new Cleanup(true, false, 86_400_000L, 0, Long.MAX_VALUE, 0.5,
            604_800_000L, 1_073_741_824L);

    /** These settings with a topic's configs applied; a value that is absent or does not parse keeps the setting. */
    Cleanup withTopicConfigs(Map<String, String> configs) {
        String policy = configs.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        List<String> policies = policy == null ? null : Arrays.stream(policy.split(",")).map(String::trim).toList();
        return new Cleanup(
                policies == null ? delete : policies.contains(TopicConfig.CLEANUP_POLICY_DELETE),
                policies == null ? compact : policies.contains(TopicConfig.CLEANUP_POLICY_COMPACT),
                LogSettings.longOr(configs.get(TopicConfig.DELETE_RETENTION_MS_CONFIG), deleteRetentionMs),
                LogSettings.longOr(configs.get(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG), minCompactionLagMs),
                LogSettings.longOr(configs.get(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG), maxCompactionLagMs),
                doubleOr(configs.get(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG), minCleanableDirtyRatio),
                LogSettings.longOr(configs.get(TopicConfig.SEGMENT_MS_CONFIG), segmentMs),
                LogSettings.longOr(configs.get(TopicConfig.SEGMENT_BYTES_CONFIG), segmentBytes));
    }

    private static double doubleOr(String value, double fallback) {
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
