package io.sluice.coordinator.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** Turns a failed state change into the Kafka error and message the client should see. */
final class Failures {

    private Failures() {
    }

    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    static Errors code(Throwable error) {
        Throwable cause = cause(error);
        return cause instanceof ApiException ? Errors.forException(cause) : Errors.UNKNOWN_SERVER_ERROR;
    }

    static String message(Throwable error) {
        return cause(error).getMessage();
    }

    /** The response, once every per-resource change has settled (each one records its own outcome). */
    static CompletableFuture<ApiMessage> afterAll(List<CompletableFuture<?>> work, ApiMessage response) {
        return CompletableFuture.allOf(work.stream().map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}
