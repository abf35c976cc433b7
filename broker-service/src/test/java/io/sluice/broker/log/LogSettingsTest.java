package io.sluice.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sluice.protocol.record.BatchValidator.Rules;

/** A topic's configs, as the coordinator describes them, over the broker's defaults. */
class LogSettingsTest {

    private final RecentMemory recent = new RecentMemory(8 << 20);
    private final LogSettings defaults = LogSettings.defaults(1 << 20, recent);

    @Test
    void defaultsAreKafkasForATopicWithTheBrokersMemoryBudget() {
        assertThat(defaults).isEqualTo(new LogSettings(1_048_588, new Rules(false, Long.MAX_VALUE, 3_600_000L, false),
                604_800_000L, -1, Cleanup.KAFKA_DEFAULTS, 1 << 20, recent));
    }

    @Test
    void topicConfigsOverrideTheDefaults() {
        LogSettings topic = defaults.withTopicConfigs(Map.of("max.message.bytes", "2000",
                "message.timestamp.type", "LogAppendTime", "retention.ms", "60000", "retention.bytes", "1000000",
                "message.timestamp.before.max.ms", "86400000", "message.timestamp.after.max.ms", "1000"));

        assertThat(topic).isEqualTo(new LogSettings(2_000, new Rules(true, 86_400_000L, 1_000L, false), 60_000,
                1_000_000, Cleanup.KAFKA_DEFAULTS, 1 << 20, recent));
        assertThat(topic.withTopicConfigs(Map.of("message.timestamp.type", "CreateTime")).logAppendTime()).isFalse();
    }

    @Test
    void aCompactedTopicRequiresKeys() {
        assertThat(defaults.withTopicConfigs(Map.of("cleanup.policy", "compact")).records().keysRequired()).isTrue();
        assertThat(defaults.withTopicConfigs(Map.of("cleanup.policy", "delete, compact")).records().keysRequired())
                .isTrue();
        assertThat(defaults.withTopicConfigs(Map.of("cleanup.policy", "delete")).records().keysRequired()).isFalse();
    }

    @Test
    void absentOrUnreadableConfigsKeepTheDefaults() {
        assertThat(defaults.withTopicConfigs(Map.of())).isEqualTo(defaults);
        assertThat(defaults.withTopicConfigs(Map.of("max.message.bytes", "big", "retention.ms", "",
                "message.timestamp.after.max.ms", "soon"))).isEqualTo(defaults);
    }
}
