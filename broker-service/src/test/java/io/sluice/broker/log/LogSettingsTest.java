package io.sluice.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** A topic's configs, as the coordinator describes them, over the broker's defaults. */
class LogSettingsTest {

    private final LogSettings defaults = LogSettings.defaults(1 << 20, 8 << 20);

    @Test
    void defaultsAreKafkasForATopicWithTheBrokersMemoryBudget() {
        assertThat(defaults).isEqualTo(new LogSettings(1_048_588, false, 604_800_000L, -1, 1 << 20, 8 << 20));
    }

    @Test
    void topicConfigsOverrideTheDefaults() {
        LogSettings topic = defaults.withTopicConfigs(Map.of("max.message.bytes", "2000",
                "message.timestamp.type", "LogAppendTime", "retention.ms", "60000", "retention.bytes", "1000000"));

        assertThat(topic).isEqualTo(new LogSettings(2_000, true, 60_000, 1_000_000, 1 << 20, 8 << 20));
        assertThat(topic.withTopicConfigs(Map.of("message.timestamp.type", "CreateTime")).logAppendTime()).isFalse();
    }

    @Test
    void absentOrUnreadableConfigsKeepTheDefaults() {
        assertThat(defaults.withTopicConfigs(Map.of())).isEqualTo(defaults);
        assertThat(defaults.withTopicConfigs(Map.of("max.message.bytes", "big", "retention.ms", "", "cleanup.policy",
                "compact"))).isEqualTo(defaults);
    }
}
