package io.sluice.gateway.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.cluster.MetadataView;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.RequestHandler;
import io.vertx.core.Vertx;

/**
 * The gateway's Kafka listener: answers what it can itself, routes data to brokers, admin, groups and
 * transactions to the coordinator.
 */
public final class GatewayRequestHandler implements RequestHandler {

    /** Admin requests the coordinator answers; the mutating ones refresh the view before the client hears back. */
    private static final Set<ApiKeys> TO_COORDINATOR = Set.of(ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS,
            ApiKeys.CREATE_PARTITIONS, ApiKeys.DESCRIBE_CONFIGS, ApiKeys.ALTER_CONFIGS,
            ApiKeys.INCREMENTAL_ALTER_CONFIGS);
    private static final Set<ApiKeys> CHANGE_METADATA = Set.of(ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS,
            ApiKeys.CREATE_PARTITIONS);

    private final Vertx vertx;
    private final MetadataView metadata;
    private final GatewayNode node;
    private final MetadataHandler metadataHandler;
    private final ProduceRouter produce;
    private final FetchRouter fetch;
    private final ListOffsetsRouter listOffsets;
    private final OffsetForLeaderEpochRouter offsetForLeaderEpoch;
    private final CoordinatorRouter coordinatorSessions;

    public GatewayRequestHandler(Vertx vertx, MetadataView metadata, GatewayNode node, List<String> coordinators) {
        this.vertx = vertx;
        this.metadata = metadata;
        this.node = node;
        this.metadataHandler = new MetadataHandler(metadata, node);
        this.produce = new ProduceRouter(metadata);
        this.fetch = new FetchRouter(metadata);
        this.listOffsets = new ListOffsetsRouter(metadata);
        this.offsetForLeaderEpoch = new OffsetForLeaderEpochRouter(metadata);
        this.coordinatorSessions = new CoordinatorRouter(vertx, coordinators, node);
    }

    @Override
    public CompletionStage<ApiMessage> handle(RequestFrame request, ClientConnection connection) {
        short version = request.apiVersion();
        ApiMessage body = request.body();
        if (TO_COORDINATOR.contains(request.api())) {
            CompletableFuture<ApiMessage> answer = metadata.forward(body, version);
            return CHANGE_METADATA.contains(request.api())
                    ? answer.thenCompose(a -> metadata.refresh().thenApply(v -> a))
                    : answer;
        }
        if (CoordinatorRouter.APIS.contains(request.api())) {
            return coordinatorSessions.forward(body, version, request.clientId(), connection);
        }
        return switch (request.api()) {
            case FIND_COORDINATOR -> CompletableFuture.completedFuture(
                    coordinatorSessions.findCoordinator((FindCoordinatorRequestData) body, version));
            case METADATA -> metadataHandler.handle((MetadataRequestData) body, version);
            case DESCRIBE_CLUSTER -> CompletableFuture.completedFuture(describeCluster());
            case PRODUCE -> produce.handle((ProduceRequestData) body, version, brokers(request, connection));
            case FETCH -> fetch.handle((FetchRequestData) body, version, brokers(request, connection));
            case LIST_OFFSETS -> listOffsets.handle((ListOffsetsRequestData) body, version,
                    brokers(request, connection));
            case OFFSET_FOR_LEADER_EPOCH -> offsetForLeaderEpoch.handle((OffsetForLeaderEpochRequestData) body,
                    version, brokers(request, connection));
            default -> CompletableFuture.failedFuture(new IllegalStateException(request.api() + " is not routed"));
        };
    }

    private BrokerChannels brokers(RequestFrame request, ClientConnection connection) {
        return connection.attachment(BrokerChannels.class,
                () -> new BrokerChannels(vertx, request.clientId() == null ? "gateway" : request.clientId()));
    }

    private DescribeClusterResponseData describeCluster() {
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setErrorCode(Errors.NONE.code())
                .setClusterId(metadata.current().clusterId())
                .setControllerId(node.id());
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(node.id())
                .setHost(node.host())
                .setPort(node.port()));
        return response;
    }
}
