package io.sluice.protocol.metadata;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Coalesces calls to a remote read while guaranteeing freshness: every caller gets an answer to a request sent after
 * it asked. A caller arriving while a request is under way shares the one queued behind it.
 */
final class FreshCall<T> {

    private final Supplier<CompletableFuture<T>> call;
    private CompletableFuture<T> running;
    private CompletableFuture<T> queued;

    FreshCall(Supplier<CompletableFuture<T>> call) {
        this.call = call;
    }

    synchronized CompletableFuture<T> get() {
        if (running == null || running.isDone()) {
            running = call.get();
            return running;
        }
        if (queued == null) {
            queued = running.handle((v, e) -> null).thenCompose(v -> next());
        }
        return queued;
    }

    private synchronized CompletableFuture<T> next() {
        queued = null;
        running = call.get();
        return running;
    }
}
