package io.sluice.coordinator.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class TopicConfigsTest {

    @Test
    void acceptsKnownConfigsWithValidValues() {
        assertThat(TopicConfigs.validate(Map.of("retention.ms", "1000", "cleanup.policy", "compact,delete",
                "message.timestamp.type", "LogAppendTime"))).containsEntry("retention.ms", "1000");
    }

    @Test
    void refusesUnknownNames() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.mss", "1")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.mss");
    }

    @Test
    void refusesValuesOfTheWrongTypeOrRange() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.ms", "soon")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("cleanup.policy", "shred")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.insync.replicas", "0")))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void effectiveConfigsFillInDefaults() {
        Map<String, String> effective = TopicConfigs.effective(Map.of("retention.ms", "5"));

        assertThat(effective).containsEntry("retention.ms", "5")
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("max.message.bytes", "1048588");
    }
}
