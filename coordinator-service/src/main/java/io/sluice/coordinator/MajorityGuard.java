package io.sluice.coordinator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.RequestHandler;

/**
 * Serves the active replica's requests only while it is in touch with a majority of the replicas
 * ({@link io.sluice.replication.MajorityLease}). Cut off from them, what it holds in memory may already be stale, and
 * no error code can stand in for every answer (a Metadata answer has none: an empty one reads as a cluster without
 * topics), so the connection is closed, as standing down closes it: brokers and gateways find the active replica by
 * trying the others, and tell their own clients a retriable error meanwhile.
 */
final class MajorityGuard implements RequestHandler {

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
        connection.close();
        return new CompletableFuture<>();
    }

    @Override
    public void worked(RequestFrame request, ClientConnection connection, long nanos) {
        handler.worked(request, connection, nanos);
    }
}
