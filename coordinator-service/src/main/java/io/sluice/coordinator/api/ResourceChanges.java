package io.sluice.coordinator.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The changes an admin request makes, one per resource it names (a topic, a topic's configs): each writes its outcome
 * into its own resource's result, and the response goes out once every change has settled.
 */
final class ResourceChanges {

    private final List<CompletableFuture<?>> changes = new ArrayList<>();

    /** Follows {@code change}: its value goes to {@code succeeded}, its failure as Kafka's error to {@code failed}. */
    <T> void add(CompletableFuture<T> change, Consumer<T> succeeded, Consumer<KafkaError> failed) {
        changes.add(change.whenComplete((value, failure) -> {
            if (failure != null) {
                failed.accept(KafkaError.of(failure));
            } else {
                succeeded.accept(value);
            }
        }));
    }

    /** Follows a change whose success the result does not show. */
    <T> void add(CompletableFuture<T> change, Consumer<KafkaError> failed) {
        add(change, value -> {
        }, failed);
    }

    /** The response, once every change has settled. */
    CompletableFuture<ApiMessage> answer(ApiMessage response) {
        return CompletableFuture.allOf(changes.stream().map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}
