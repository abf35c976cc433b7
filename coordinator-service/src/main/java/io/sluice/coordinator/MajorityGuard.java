package io.sluice.coordinator;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.ErrorResponses;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.RequestHandler;

/**
 * Answers the active replica's requests only while it is in touch with a majority of the replicas
 * ({@link io.sluice.replication.MajorityLease}): cut off from them, what it holds in memory may already be stale, so
 * every request gets the retriable error its client answers by finding the active coordinator again.
 */
final class MajorityGuard implements RequestHandler {

    private static final Set<ApiKeys> GROUPS_AND_TRANSACTIONS = CoordinatorContract.GROUP_AND_TRANSACTION_APIS.stream()
            .map(ApiVersionRange::api)
            .collect(Collectors.toUnmodifiableSet());

    private final RequestHandler handler;
    private final BooleanSupplier inTouch;

    MajorityGuard(RequestHandler handler, BooleanSupplier inTouch) {
        this.handler = handler;
        this.inTouch = inTouch;
    }

    @Override
    public CompletionStage<ApiMessage> handle(RequestFrame request, ClientConnection connection) {
        if (inTouch.getAsBoolean()) {
            return handler.handle(request, connection);
        }
        Errors error = GROUPS_AND_TRANSACTIONS.contains(request.api()) ? Errors.COORDINATOR_NOT_AVAILABLE
                : Errors.NOT_CONTROLLER;
        return CompletableFuture.completedFuture(ErrorResponses.of(request.body(), request.apiVersion(), error));
    }

    @Override
    public void worked(RequestFrame request, ClientConnection connection, long nanos) {
        handler.worked(request, connection, nanos);
    }
}
