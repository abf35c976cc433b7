package io.sluice.protocol.net;

import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.protocol.codec.RequestFrame;

/**
 * Serves the requests of one Kafka listener. Called on the connection's event loop: implementations must not block.
 * A stage completing with null sends no response (acks=0 produce).
 */
@FunctionalInterface
public interface RequestHandler {

    CompletionStage<ApiMessage> handle(RequestFrame request, ClientConnection connection);

    /**
     * How long the connection's event loop worked on a request once its answer is written: decoding the request,
     * handing it to {@link #handle}, encoding and writing the answer (Kafka's request quota counts its threads' time
     * alike). Called on the event loop.
     */
    default void worked(RequestFrame request, ClientConnection connection, long nanos) {
    }
}
