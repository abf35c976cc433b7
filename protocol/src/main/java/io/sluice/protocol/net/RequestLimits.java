package io.sluice.protocol.net;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * How large the requests one listener reads may be, each (Kafka's {@code socket.request.max.bytes}) and all those it
 * holds at once, read and not yet answered (Kafka's {@code queued.max.request.bytes}). Only Produce carries bulk data:
 * every other request is held to {@link #MAX_CONTROL_REQUEST_SIZE}, so that no client can make the gateway forward to
 * the coordinator a request its heap cannot hold.
 *
 * @param maxRequestSize the largest Produce request
 * @param maxHeldBytes the most request bytes held at once; a request larger than that is read alone
 */
public record RequestLimits(int maxRequestSize, long maxHeldBytes) {

    /** The largest request other than Produce: thousands of partitions' offsets or topics fit in far less. */
    public static final int MAX_CONTROL_REQUEST_SIZE = 8 << 20;

    public RequestLimits {
        if (maxRequestSize <= 0 || maxHeldBytes <= 0) {
            throw new IllegalArgumentException("request limits must be positive: " + maxRequestSize + ", "
                    + maxHeldBytes);
        }
    }

    /** The limits of a listener that serves no Produce. */
    public static RequestLimits control(long maxHeldBytes) {
        return new RequestLimits(MAX_CONTROL_REQUEST_SIZE, maxHeldBytes);
    }

    /** The largest request of this API. */
    public int maxSize(short apiKey) {
        return apiKey == ApiKeys.PRODUCE.id ? maxRequestSize : Math.min(maxRequestSize, MAX_CONTROL_REQUEST_SIZE);
    }
}
