package io.sluice.gateway.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.ErrorResponses;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.ReconnectingChannel;
import io.vertx.core.Vertx;

/**
 * Consumer groups and transactions through the gateway. FindCoordinator names the gateway itself, so clients need no
 * other address; group and transaction requests go on to the coordinator over a connection of their own per client
 * connection, because JoinGroup, SyncGroup and EndTxn wait for a rebalance or for markers and must hold up nobody
 * else's answers.
 */
final class CoordinatorRouter {

    static final Set<ApiKeys> APIS = CoordinatorContract.GROUP_AND_TRANSACTION_APIS.stream().map(ApiVersionRange::api)
            .collect(Collectors.toUnmodifiableSet());

    private final Vertx vertx;
    private final List<String> coordinators;
    private final GatewayNode node;

    CoordinatorRouter(Vertx vertx, List<String> coordinators, GatewayNode node) {
        this.vertx = vertx;
        this.coordinators = List.copyOf(coordinators);
        this.node = node;
    }

    /**
     * Forwards a group or transaction request; a coordinator that cannot be reached is COORDINATOR_NOT_AVAILABLE, so it is
     * retried.
     */
    CompletableFuture<ApiMessage> forward(ApiMessage request, short version, String clientId,
            ClientConnection connection) {
        CoordinatorChannel channel = connection.attachment(CoordinatorChannel.class,
                () -> new CoordinatorChannel(new ReconnectingChannel(vertx, clientId == null ? "gateway" : clientId,
                        coordinators)));
        return channel.coordinator.send(request, version)
                .exceptionally(e -> ErrorResponses.of(request, version, Errors.COORDINATOR_NOT_AVAILABLE));
    }

    /** The gateway coordinates every group and every transactional id. */
    FindCoordinatorResponseData findCoordinator(FindCoordinatorRequestData request, short version) {
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        boolean known = request.keyType() == CoordinatorType.GROUP.id()
                || request.keyType() == CoordinatorType.TRANSACTION.id();
        if (version < 4) {
            return known && !request.key().isEmpty()
                    ? response.setNodeId(node.id()).setHost(node.host()).setPort(node.port())
                    : response.setErrorCode(Errors.INVALID_REQUEST.code()).setNodeId(-1).setHost("").setPort(-1)
                            .setErrorMessage("no coordinator for key type " + request.keyType());
        }
        for (String key : request.coordinatorKeys()) {
            FindCoordinatorResponseData.Coordinator coordinator = new FindCoordinatorResponseData.Coordinator()
                    .setKey(key);
            if (known && !key.isEmpty()) {
                coordinator.setNodeId(node.id()).setHost(node.host()).setPort(node.port());
            } else {
                coordinator.setErrorCode(Errors.INVALID_REQUEST.code()).setNodeId(-1).setHost("").setPort(-1)
                        .setErrorMessage("no coordinator for key type " + request.keyType());
            }
            response.coordinators().add(coordinator);
        }
        return response;
    }

    /** One client connection's own connection to the coordinator. */
    private record CoordinatorChannel(ReconnectingChannel coordinator) implements AutoCloseable {
        @Override
        public void close() {
            coordinator.close();
        }
    }
}
