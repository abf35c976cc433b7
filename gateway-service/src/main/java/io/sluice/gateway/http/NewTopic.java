package io.sluice.gateway.http;

import java.util.Map;

/** A topic to create: partitions and replication factor left out take the cluster's defaults. */
public record NewTopic(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
}
