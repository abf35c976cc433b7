package io.sluice.gateway.routing;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.ErrorResponses;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.net.ActiveServer;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.ReconnectingChannel;
import io.vertx.core.Vertx;

/**
 * Consumer groups and transactions through the gateway: group and transaction requests go on to the coordinator over a
 * connection of their own per client connection, because JoinGroup, SyncGroup and EndTxn wait for a rebalance or for
 * markers and must hold up nobody else's answers.
 */
public final class CoordinatorRouter {

    /** What this router forwards. */
    public static final Set<ApiKeys> APIS = CoordinatorContract.GROUP_AND_TRANSACTION_APIS.stream()
            .map(ApiVersionRange::api)
            .collect(Collectors.toUnmodifiableSet());

    private final Vertx vertx;
    private final ChannelLogin login;
    private final ActiveServer coordinators;

    /** @param coordinators the coordinator replicas: a replica given up on is given up on every client's channel */
    public CoordinatorRouter(Vertx vertx, ActiveServer coordinators, ChannelLogin login) {
        this.vertx = vertx;
        this.login = login;
        this.coordinators = coordinators;
    }

    /**
     * Forwards a group or transaction request as it is; a coordinator that cannot be reached is
     * COORDINATOR_NOT_AVAILABLE, so it is retried.
     */
    public CompletableFuture<ApiMessage> route(RequestFrame request, ClientConnection connection) {
        String clientId = request.clientId() == null ? "gateway" : request.clientId();
        CoordinatorChannel channel = connection.attachment(CoordinatorChannel.class,
                () -> new CoordinatorChannel(new ReconnectingChannel(vertx, clientId, coordinators, login)));
        return channel.coordinator.send(request.body(), request.apiVersion())
                .exceptionally(failure -> ErrorResponses.upstreamFailed(failure, request.body(), request.apiVersion(),
                        Errors.COORDINATOR_NOT_AVAILABLE));
    }

    /** One client connection's own connection to the coordinator. */
    private record CoordinatorChannel(ReconnectingChannel coordinator) implements AutoCloseable {
        @Override
        public void close() {
            coordinator.close();
        }
    }
}
