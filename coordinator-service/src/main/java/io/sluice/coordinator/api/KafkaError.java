package io.sluice.coordinator.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.store.NotInMajorityException;

/**
 * A failed change as the client hears of it: Kafka's error for the exception that failed it (NOT_CONTROLLER for a
 * write a replica cut off from the majority could not make, or work a replica that stood down refused; an unknown
 * server error for any other exception that is not one of Kafka's), and the exception's message.
 */
record KafkaError(Errors error, String message) {

    static KafkaError of(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        Errors error = cause instanceof ApiException ? Errors.forException(cause)
                // Retriable, as Kafka's for a controller that lost its quorum: the majority's active replica acts next.
                : cause instanceof NotInMajorityException || cause instanceof RejectedExecutionException
                        ? Errors.NOT_CONTROLLER
                        : Errors.UNKNOWN_SERVER_ERROR;
        return new KafkaError(error, cause.getMessage());
    }

    short code() {
        return error.code();
    }
}
