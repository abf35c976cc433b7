package io.sluice.coordinator.api;

/** Kafka's config source codes as DescribeConfigs and CreateTopics report them. */
final class ConfigSources {

    static final byte TOPIC = 1;
    static final byte DEFAULT = 5;

    private ConfigSources() {
    }
}
