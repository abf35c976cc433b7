package io.sluice.gateway.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;

/** Admin requests the HTTP API sends to the coordinator, and their errors as HTTP statuses. */
final class CoordinatorRequests {

    private CoordinatorRequests() {
    }

    /** Sends to the coordinator; one that does not answer is a 503, which clients retry. */
    static <R extends ApiMessage> CompletableFuture<R> send(MetadataView metadata, ApiMessage request, short version,
            Class<R> response) {
        return metadata.forward(request, version).handle((answer, failure) -> {
            if (failure != null) {
                throw new CompletionException(new HttpError(503, "the coordinator does not answer; try again"));
            }
            return response.cast(answer);
        });
    }

    /** A Kafka error as the HTTP status that tells a client the same ({@link KafkaErrorStatus}). */
    static void check(Errors error, String message) {
        if (error != Errors.NONE) {
            throw new HttpError(KafkaErrorStatus.of(error), KafkaErrorStatus.message(error, message));
        }
    }
}
