package io.sluice.coordinator.api;

import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * A failed change as the client hears of it: Kafka's error for the exception that failed it (an unknown server error
 * for any exception that is not one of Kafka's), and the exception's message.
 */
record KafkaError(Errors error, String message) {

    static KafkaError of(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        Errors error = cause instanceof ApiException ? Errors.forException(cause) : Errors.UNKNOWN_SERVER_ERROR;
        return new KafkaError(error, cause.getMessage());
    }

    short code() {
        return error.code();
    }
}
