package io.sluice.protocol.net;

import java.util.function.LongSupplier;

import org.apache.kafka.common.protocol.ApiKeys;

/** What a Kafka listener reports about the requests it serves; services bind it to their metrics registry. */
public interface RequestMetrics {

    RequestMetrics NONE = new RequestMetrics() {
        @Override
        public void served(ApiKeys api, long nanos, boolean failed) {
        }

        @Override
        public void refused(String reason) {
        }

        @Override
        public void holding(LongSupplier heldBytes) {
        }

        @Override
        public void authenticated(boolean succeeded) {
        }
    };

    /** A request answered (or failed) after {@code nanos} from the moment it was read. */
    void served(ApiKeys api, long nanos, boolean failed);

    /** A connection closed over input it could not serve. */
    void refused(String reason);

    /** The bytes of requests the listener holds, read and not yet answered, to report from now on. */
    void holding(LongSupplier heldBytes);

    /** A SASL authentication, first or again on the same connection (KIP-368), that succeeded or failed. */
    void authenticated(boolean succeeded);
}
