package io.sluice.coordinator.api;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.protocol.contract.BrokerContract;

/**
 * The brokers' lifecycle: they join with BrokerRegistration and stay alive with BrokerHeartbeat (Kafka's own KRaft
 * messages). An unknown broker or a stale epoch is told to register again; {@code wantShutDown} is a clean leave.
 */
final class BrokerLifecycleApi {

    private final ClusterState state;

    BrokerLifecycleApi(ClusterState state) {
        this.state = state;
    }

    CompletableFuture<ApiMessage> register(BrokerRegistrationRequestData request) {
        if (request.brokerId() < 1 || request.brokerId() > BrokerContract.MAX_ID || request.listeners().isEmpty()) {
            return CompletableFuture.completedFuture(new BrokerRegistrationResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()));
        }
        BrokerRegistrationRequestData.Listener listener = request.listeners().iterator().next();
        return state.register(request.brokerId(), listener.host(), listener.port(),
                request.incarnationId().toString())
                .handle((epoch, error) -> error != null
                        ? new BrokerRegistrationResponseData().setErrorCode(KafkaError.of(error).code())
                        : new BrokerRegistrationResponseData().setBrokerEpoch(epoch));
    }

    CompletableFuture<ApiMessage> heartbeat(BrokerHeartbeatRequestData request) {
        BrokerHeartbeatResponseData response = new BrokerHeartbeatResponseData().setIsCaughtUp(true);
        if (!state.knows(request.brokerId())) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.BROKER_ID_NOT_REGISTERED.code()));
        }
        if (!state.heartbeat(request.brokerId(), request.brokerEpoch(), request.wantFence())) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.STALE_BROKER_EPOCH.code()));
        }
        response.setIsFenced(request.wantFence());
        if (request.wantShutDown()) {
            return state.leave(request.brokerId()).thenApply(v -> response.setShouldShutDown(true));
        }
        return CompletableFuture.completedFuture(response);
    }
}
