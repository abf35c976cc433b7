package io.sluice.gateway.http;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** One record of a live tail: where it is, and its key and value in the format asked for. */
public record StreamedRecord(String topic, int partition, long offset, long timestamp, JsonNode key, JsonNode value,
        List<PartitionRead.Header> headers) {
}
