package io.sluice.gateway.http;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Records read from one partition, and where to go on: {@code nextOffset} is the offset to ask for next (past
 * transaction markers too); {@code highWatermark} the end of what is readable; {@code logStartOffset} the first
 * offset still kept.
 */
public record PartitionRead(String topic, int partition, List<ReadRecord> records, long nextOffset,
        long highWatermark, long logStartOffset) {

    /** A record as read: key and value in the format asked for, header values in base64. */
    public record ReadRecord(long offset, long timestamp, JsonNode key, JsonNode value, List<Header> headers) {
    }

    /** A header: its key and its value in base64 (null for none). */
    public record Header(String key, byte[] value) {
    }
}
