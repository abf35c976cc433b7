package io.sluice.operator.topic;

import java.util.LinkedHashMap;
import java.util.Map;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a {@link Topic} should look like in its cluster. */
public class TopicSpec {

    @JsonPropertyDescription("Kafka topic name; the resource's name when unset")
    @Pattern("^[a-zA-Z0-9._-]{1,249}$")
    private String topicName;

    @JsonPropertyDescription("Number of partitions; it can grow, never shrink")
    @Min(1)
    @Default("1")
    private int partitions = 1;

    @JsonPropertyDescription("Replication factor; the cluster's default when unset. It cannot change after creation")
    @Min(1)
    @Max(5)
    private Integer replicas;

    @JsonPropertyDescription("Topic configuration, e.g. retention.ms, retention.bytes, cleanup.policy, max.message.bytes")
    private Map<String, String> config = new LinkedHashMap<>();

    public String getTopicName() {
        return topicName;
    }

    public void setTopicName(String topicName) {
        this.topicName = topicName;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Map<String, String> getConfig() {
        return config;
    }

    public void setConfig(Map<String, String> config) {
        this.config = config;
    }
}
