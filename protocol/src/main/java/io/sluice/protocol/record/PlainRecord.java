package io.sluice.protocol.record;

import java.util.List;

/**
 * One record outside any batch, as a client that does not speak the Kafka protocol gives or gets it. Key and value are
 * null when absent; the offset is -1 until the record is stored, the timestamp -1 for "when it is appended".
 */
public record PlainRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {

    /** A record header: a key and a value, the value possibly null. */
    public record Header(String key, byte[] value) {
    }

    /** A record to produce. */
    public static PlainRecord toProduce(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return new PlainRecord(-1, timestamp, key, value, headers);
    }

    /** The bytes the record takes as a client sends it: key, value, header keys and values. */
    public int payloadSize() {
        int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }
}
