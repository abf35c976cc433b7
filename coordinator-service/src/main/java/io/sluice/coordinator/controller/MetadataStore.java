package io.sluice.coordinator.controller;

import java.util.List;

import org.apache.kafka.common.Uuid;

import io.sluice.coordinator.metadata.BrokerRecord;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.coordinator.store.JsonDocuments;
import io.sluice.coordinator.store.StateStore;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The cluster metadata's entries in the replicated state store: the cluster id, one document per topic and per
 * registered broker, and the end of the block of producer ids reserved so far.
 */
final class MetadataStore {

    private static final String CLUSTER_ID = "cluster-id";
    private static final String PRODUCER_IDS = "producer-ids";
    private static final String TOPIC = "topic/";
    private static final String BROKER = "broker/";

    private final StateStore store;
    private final JsonDocuments documents;

    MetadataStore(StateStore store, ObjectMapper json) {
        this.store = store;
        this.documents = new JsonDocuments(json);
    }

    /** The cluster's id, made up and kept the first time it is asked for. */
    String clusterId() {
        return store.get(CLUSTER_ID).orElseGet(() -> {
            String id = Uuid.randomUuid().toString();
            store.put(CLUSTER_ID, id);
            return id;
        });
    }

    List<TopicRecord> topics() {
        return documents.readAll(store.withPrefix(TOPIC).values(), TopicRecord.class);
    }

    void save(TopicRecord topic) {
        store.put(TOPIC + topic.name(), documents.write(topic));
    }

    void removeTopic(String name) {
        store.remove(TOPIC + name);
    }

    List<BrokerRecord> brokers() {
        return documents.readAll(store.withPrefix(BROKER).values(), BrokerRecord.class);
    }

    void save(BrokerRecord broker) {
        store.put(BROKER + broker.id(), documents.write(broker));
    }

    /** The first producer id not yet reserved. */
    long producerIdLimit() {
        return store.get(PRODUCER_IDS).map(Long::parseLong).orElse(0L);
    }

    void saveProducerIdLimit(long limit) {
        store.put(PRODUCER_IDS, Long.toString(limit));
    }
}
