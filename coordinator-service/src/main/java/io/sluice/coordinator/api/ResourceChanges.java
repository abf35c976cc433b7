package io.sluice.coordinator.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * The changes an admin request makes, one per resource it names (a topic, a topic's configs): each writes its outcome
 * into its own resource's result, and the response goes out once every change has settled. A change that throws
 * while it is being made fails its own resource only, never the request.
 */
final class ResourceChanges {

    private final List<CompletableFuture<?>> changes = new ArrayList<>();

    /** Makes {@code change}: its value goes to {@code succeeded}, its failure as Kafka's error to {@code failed}. */
    <T> void add(Supplier<CompletableFuture<T>> change, Consumer<T> succeeded, Consumer<KafkaError> failed) {
        CompletableFuture<T> made;
        try {
            made = change.get();
        } catch (RuntimeException e) {
            made = CompletableFuture.failedFuture(e);
        }
        changes.add(made.whenComplete((value, failure) -> {
            if (failure != null) {
                failed.accept(KafkaError.of(failure));
            } else {
                succeeded.accept(value);
            }
        }));
    }

    /** Makes a change whose success the result does not show. */
    <T> void add(Supplier<CompletableFuture<T>> change, Consumer<KafkaError> failed) {
        add(change, value -> {
        }, failed);
    }

    /** The response, once every change has settled. */
    CompletableFuture<ApiMessage> answer(ApiMessage response) {
        return CompletableFuture.allOf(changes.stream().map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new)).thenApply(v -> response);
    }
}
