package io.sluice.gateway.api;

import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

/**
 * FindCoordinator, answered with the gateway itself as the coordinator of every group and every transactional id, so
 * clients need no other address; their group and transaction requests then go on to the coordinator through it.
 */
final class GatewayAsCoordinator {

    private final GatewayNode node;

    GatewayAsCoordinator(GatewayNode node) {
        this.node = node;
    }

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
}
