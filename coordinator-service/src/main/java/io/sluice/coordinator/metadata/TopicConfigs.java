package io.sluice.coordinator.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;

/** Kafka's topic configs: the names, types, defaults and allowed values a topic may be given. */
public final class TopicConfigs {

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(TopicConfig.CLEANUP_POLICY_CONFIG, Type.LIST, TopicConfig.CLEANUP_POLICY_DELETE,
                    ConfigDef.ValidList.in(TopicConfig.CLEANUP_POLICY_COMPACT, TopicConfig.CLEANUP_POLICY_DELETE),
                    Importance.MEDIUM, TopicConfig.CLEANUP_POLICY_DOC)
            .define(TopicConfig.COMPRESSION_TYPE_CONFIG, Type.STRING, "producer",
                    ConfigDef.ValidString.in("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"),
                    Importance.MEDIUM, TopicConfig.COMPRESSION_TYPE_DOC)
            .define(TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG, Type.INT, -1, Importance.LOW, "")
            .define(TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG, Type.INT, 9, Importance.LOW, "")
            .define(TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG, Type.INT, 3, Importance.LOW, "")
            .define(TopicConfig.DELETE_RETENTION_MS_CONFIG, Type.LONG, 86_400_000L, ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM, TopicConfig.DELETE_RETENTION_MS_DOC)
            .define(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0),
                    Importance.LOW, TopicConfig.FILE_DELETE_DELAY_MS_DOC)
            .define(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, Type.LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(1),
                    Importance.LOW, TopicConfig.FLUSH_MESSAGES_INTERVAL_DOC)
            .define(TopicConfig.FLUSH_MS_CONFIG, Type.LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(0),
                    Importance.LOW, TopicConfig.FLUSH_MS_DOC)
            .define(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, Type.INT, 4096, ConfigDef.Range.atLeast(0),
                    Importance.LOW, TopicConfig.INDEX_INTERVAL_BYTES_DOC)
            .define(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Type.LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(1),
                    Importance.LOW, TopicConfig.MAX_COMPACTION_LAG_MS_DOC)
            .define(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Type.INT, 1_048_588, ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM, TopicConfig.MAX_MESSAGE_BYTES_DOC)
            .define(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, Type.STRING, "CreateTime",
                    ConfigDef.ValidString.in("CreateTime", "LogAppendTime"), Importance.MEDIUM,
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_DOC)
            .define(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Type.LONG, Long.MAX_VALUE,
                    ConfigDef.Range.atLeast(0), Importance.LOW, TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_DOC)
            .define(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Type.LONG, 3_600_000L,
                    ConfigDef.Range.atLeast(0), Importance.LOW, TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_DOC)
            .define(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Type.DOUBLE, 0.5, ConfigDef.Range.between(0, 1),
                    Importance.LOW, TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_DOC)
            .define(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Type.LONG, 0L, ConfigDef.Range.atLeast(0),
                    Importance.LOW, TopicConfig.MIN_COMPACTION_LAG_MS_DOC)
            .define(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Type.INT, 1, ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM, TopicConfig.MIN_IN_SYNC_REPLICAS_DOC)
            .define(TopicConfig.PREALLOCATE_CONFIG, Type.BOOLEAN, false, Importance.LOW,
                    TopicConfig.PREALLOCATE_DOC)
            .define(TopicConfig.RETENTION_BYTES_CONFIG, Type.LONG, -1L, Importance.MEDIUM,
                    TopicConfig.RETENTION_BYTES_DOC)
            .define(TopicConfig.RETENTION_MS_CONFIG, Type.LONG, 604_800_000L, ConfigDef.Range.atLeast(-1),
                    Importance.MEDIUM, TopicConfig.RETENTION_MS_DOC)
            .define(TopicConfig.SEGMENT_BYTES_CONFIG, Type.INT, 1_073_741_824, ConfigDef.Range.atLeast(1024 * 1024),
                    Importance.LOW, TopicConfig.SEGMENT_BYTES_DOC)
            .define(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, Type.INT, 10_485_760, ConfigDef.Range.atLeast(4),
                    Importance.LOW, TopicConfig.SEGMENT_INDEX_BYTES_DOC)
            .define(TopicConfig.SEGMENT_JITTER_MS_CONFIG, Type.LONG, 0L, ConfigDef.Range.atLeast(0),
                    Importance.LOW, TopicConfig.SEGMENT_JITTER_MS_DOC)
            .define(TopicConfig.SEGMENT_MS_CONFIG, Type.LONG, 604_800_000L, ConfigDef.Range.atLeast(1),
                    Importance.LOW, TopicConfig.SEGMENT_MS_DOC)
            .define(TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, Type.BOOLEAN, false, Importance.LOW,
                    TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_DOC);

    /**
     * The longest value a topic config may have. Kafka sets no such limit, but every value Kafka's topic configs allow
     * here is far shorter, and each is kept in the replicated state and sent to every broker.
     */
    public static final int MAX_VALUE_LENGTH = 4096;

    private TopicConfigs() {
    }

    public static Set<String> names() {
        return DEFINITION.names();
    }

    /** Checks names and values; throws INVALID_CONFIG's exception with the reason. */
    public static Map<String, String> validate(Map<String, String> configs) {
        List<String> withoutValue = new ArrayList<>();
        configs.forEach((name, value) -> {
            if (!DEFINITION.names().contains(name)) {
                throw new InvalidConfigurationException("unknown topic config '" + name + "'");
            }
            if (value == null) {
                withoutValue.add(name);
            } else if (value.length() > MAX_VALUE_LENGTH) {
                throw new InvalidConfigurationException("the value of topic config '" + name + "' is "
                        + value.length() + " characters long, more than the " + MAX_VALUE_LENGTH + " allowed");
            }
        });
        if (!withoutValue.isEmpty()) {
            throw new InvalidConfigurationException("Null value not supported for topic configs: "
                    + String.join(",", withoutValue));
        }
        try {
            DEFINITION.parse(configs);
        } catch (ConfigException e) {
            throw new InvalidConfigurationException(e.getMessage());
        }
        return Collections.unmodifiableMap(new TreeMap<>(configs));
    }

    /** Every config with the topic's value or the default, as strings. */
    public static Map<String, String> effective(Map<String, String> set) {
        Map<String, String> all = new TreeMap<>();
        DEFINITION.defaultValues().forEach((name, value) -> all.put(name, render(value)));
        all.putAll(set);
        return all;
    }

    private static String render(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    public static Type type(String name) {
        ConfigDef.ConfigKey key = DEFINITION.configKeys().get(name);
        return key == null ? Type.STRING : key.type;
    }

    public static String doc(String name) {
        ConfigDef.ConfigKey key = DEFINITION.configKeys().get(name);
        return key == null ? null : key.documentation;
    }
}
