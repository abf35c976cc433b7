package io.sluice.gateway.http;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The bodies of Confluent REST Proxy v3's cluster, topic, partition, config and produce resources, with their
 * {@code kind} and {@code metadata.self} as Confluent's API gives them.
 */
final class V3Bodies {

    private V3Bodies() {
    }

    /** Where a resource lives ({@code self}) and its Confluent resource name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Metadata(String self, @JsonProperty("resource_name") String resourceName) {
    }

    /** A collection's own address; {@code next} is always null (one page holds everything). */
    record CollectionMetadata(String self, String next) {
        CollectionMetadata(String self) {
            this(self, null);
        }
    }

    /** A link to related resources. */
    record Related(String related) {
    }

    /** A list of resources of one kind. */
    record Collection<T>(String kind, CollectionMetadata metadata, List<T> data) {
    }

    /** The cluster; it has no controller broker to link to. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Cluster(String kind, Metadata metadata, @JsonProperty("cluster_id") String clusterId,
            Related controller, Related acls, Related brokers, @JsonProperty("broker_configs") Related brokerConfigs,
            @JsonProperty("consumer_groups") Related consumerGroups, Related topics,
            @JsonProperty("partition_reassignments") Related partitionReassignments) {
    }

    /** A topic. */
    record Topic(String kind, Metadata metadata, @JsonProperty("cluster_id") String clusterId,
            @JsonProperty("topic_name") String topicName, @JsonProperty("is_internal") boolean internal,
            @JsonProperty("replication_factor") int replicationFactor,
            @JsonProperty("partitions_count") int partitionsCount, Related partitions, Related configs,
            @JsonProperty("partition_reassignments") Related partitionReassignments) {
    }

    /** A partition and its leader. */
    record Partition(String kind, Metadata metadata, @JsonProperty("cluster_id") String clusterId,
            @JsonProperty("topic_name") String topicName, @JsonProperty("partition_id") int partitionId,
            Related leader, Related replicas, Related reassignment) {
    }

    /** A topic config and where its value comes from. */
    record TopicConfig(String kind, Metadata metadata, @JsonProperty("cluster_id") String clusterId,
            @JsonProperty("topic_name") String topicName, String name, String value,
            @JsonProperty("is_default") boolean isDefault, @JsonProperty("is_read_only") boolean readOnly,
            @JsonProperty("is_sensitive") boolean sensitive, String source, List<Synonym> synonyms) {
    }

    /** A config's value from one source. */
    record Synonym(String name, String value, String source) {
    }

    /** {@code POST …/topics}: the topic to create. */
    record CreateTopic(@JsonProperty("topic_name") String topicName,
            @JsonProperty("partitions_count") Integer partitionsCount,
            @JsonProperty("replication_factor") Integer replicationFactor, List<ConfigValue> configs,
            @JsonProperty("validate_only") Boolean validateOnly) {
    }

    /** A config to create a topic with. */
    record ConfigValue(String name, String value) {
    }

    /** {@code POST …/configs:alter}: configs to set or delete together. */
    record AlterConfigs(List<ConfigOperation> data, @JsonProperty("validate_only") Boolean validateOnly) {
    }

    /** One config to {@code SET} (the default) to a value or {@code DELETE} (back to its default). */
    record ConfigOperation(String name, String value, String operation) {
    }

    /** The delivery report of one produced record: {@code error_code} 200 and where it is, or an error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeliveryReport(@JsonProperty("error_code") int errorCode, String message,
            @JsonProperty("cluster_id") String clusterId, @JsonProperty("topic_name") String topicName,
            @JsonProperty("partition_id") Integer partitionId, Long offset, String timestamp, Map<String, Object> key,
            Map<String, Object> value) {
    }
}
