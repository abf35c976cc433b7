package io.sluice.coordinator.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.controller.OwnerReport;
import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.protocol.contract.BrokerContract;

/**
 * The brokers' lifecycle: they join with BrokerRegistration and stay alive with BrokerHeartbeat (Kafka's own KRaft
 * messages). An unknown broker or a stale epoch is told to register again; {@code wantShutDown} is a clean leave.
 * <p>
 * A leader says where its partitions' data lives with AlterPartition: its "new ISR" is the brokers whose stores own
 * the partition, primary owner first ({@link ClusterState#followOwners}); the answer is each partition's leadership as
 * it then is. Sluice keeps no partition epoch apart from the leader epoch, so that is what the partition epoch carries.
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

    CompletableFuture<ApiMessage> alterPartition(AlterPartitionRequestData request, short version) {
        List<OwnerReport> reports = new ArrayList<>();
        for (AlterPartitionRequestData.TopicData topic : request.topics()) {
            for (AlterPartitionRequestData.PartitionData p : topic.partitions()) {
                List<Integer> owners = version >= 3
                        ? p.newIsrWithEpochs().stream().map(AlterPartitionRequestData.BrokerState::brokerId).toList()
                        : List.copyOf(p.newIsr());
                reports.add(new OwnerReport(topic.topicId(), p.partitionIndex(), p.leaderEpoch(), owners));
            }
        }
        return state.followOwners(request.brokerId(), request.brokerEpoch(), reports).handle((outcomes, error) -> {
            AlterPartitionResponseData response = new AlterPartitionResponseData();
            if (error != null) {
                return response.setErrorCode(KafkaError.of(error).code());
            }
            Iterator<OwnerReport.Outcome> outcome = outcomes.iterator();
            for (AlterPartitionRequestData.TopicData topic : request.topics()) {
                AlterPartitionResponseData.TopicData answered = new AlterPartitionResponseData.TopicData()
                        .setTopicId(topic.topicId());
                for (AlterPartitionRequestData.PartitionData p : topic.partitions()) {
                    answered.partitions().add(partition(p.partitionIndex(), outcome.next()));
                }
                response.topics().add(answered);
            }
            return response;
        });
    }

    private static AlterPartitionResponseData.PartitionData partition(int index, OwnerReport.Outcome outcome) {
        AlterPartitionResponseData.PartitionData answered = new AlterPartitionResponseData.PartitionData()
                .setPartitionIndex(index)
                .setErrorCode(outcome.error().code())
                .setLeaderId(-1)
                .setLeaderEpoch(-1);
        PartitionRecord p = outcome.partition();
        if (p != null) {
            answered.setLeaderId(p.leader()).setLeaderEpoch(p.leaderEpoch()).setPartitionEpoch(p.leaderEpoch())
                    .setIsr(new ArrayList<>(p.replicas()));
        }
        return answered;
    }
}
