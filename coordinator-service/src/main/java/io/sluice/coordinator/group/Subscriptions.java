package io.sluice.coordinator.group;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;

/** Reads the topics a consumer subscribed to out of its opaque JoinGroup metadata (the consumer protocol). */
final class Subscriptions {

    private Subscriptions() {
    }

    static List<String> topics(byte[] metadata) {
        if (metadata == null || metadata.length == 0) {
            return List.of();
        }
        try {
            return ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata)).topics();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
