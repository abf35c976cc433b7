package io.sluice.coordinator.api;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.coordinator.CoordinatorConfig;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.group.GroupCoordinator;
import io.sluice.coordinator.security.SecurityState;
import io.sluice.coordinator.txn.TransactionCoordinator;
import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.ErrorResponses;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.RequestHandler;

/**
 * The coordinator's Kafka listener: metadata, topic admin, configs, leader elections and reassignments, SCRAM
 * credentials, ACLs, producer ids, broker membership, groups and transactions.
 */
public final class CoordinatorRequestHandler implements RequestHandler {

    private static final Logger LOG = Logger.getLogger(CoordinatorRequestHandler.class);
    private static final Set<ApiKeys> GROUP_AND_TRANSACTION_APIS = CoordinatorContract.GROUP_AND_TRANSACTION_APIS
            .stream().map(ApiVersionRange::api).collect(Collectors.toUnmodifiableSet());

    private final ClusterState state;
    private final ClusterMetadataApi metadata;
    private final TopicAdminApi topics;
    private final ConfigAdminApi configs;
    private final PartitionAdminApi partitions;
    private final BrokerLifecycleApi brokers;
    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final SecurityState security;

    public CoordinatorRequestHandler(ClusterState state, GroupCoordinator groups, TransactionCoordinator transactions,
            SecurityState security, CoordinatorConfig.Coordinator config) {
        this.state = state;
        this.groups = groups;
        this.transactions = transactions;
        this.security = security;
        TopicDefaults defaults = new TopicDefaults(config.defaultPartitions(), config.defaultReplicationFactor());
        this.metadata = new ClusterMetadataApi(state, config, defaults);
        this.topics = new TopicAdminApi(state, defaults);
        this.configs = new ConfigAdminApi(state);
        this.partitions = new PartitionAdminApi(state);
        this.brokers = new BrokerLifecycleApi(state);
    }

    /**
     * Every decodable request gets an answer: one that fails unexpectedly is answered with Kafka's error for the
     * failure everywhere the response has an error code (UNKNOWN_SERVER_ERROR for a bug), as Kafka's request handler
     * does, so the connection (often the gateway's, shared by many clients) stays open.
     */
    @Override
    public CompletionStage<ApiMessage> handle(RequestFrame request, ClientConnection connection) {
        CompletableFuture<ApiMessage> answer;
        try {
            answer = serve(request, connection).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((response, failure) -> {
            if (failure == null) {
                return response;
            }
            Errors error = KafkaError.of(failure).error();
            if (error == Errors.UNKNOWN_SERVER_ERROR) {
                LOG.errorf(failure, "failed to serve %s; answering %s", request, error);
            } else if (error == Errors.NOT_CONTROLLER && GROUP_AND_TRANSACTION_APIS.contains(request.api())) {
                // What group and transaction clients retry after finding the coordinator again.
                error = Errors.COORDINATOR_NOT_AVAILABLE;
            }
            return ErrorResponses.of(request.body(), request.apiVersion(), error);
        });
    }

    /** The answer of the API the request is for; it may fail, where {@link #handle} never does. */
    CompletionStage<ApiMessage> serve(RequestFrame request, ClientConnection connection) {
        ApiMessage body = request.body();
        return switch (request.api()) {
            case METADATA -> metadata.metadata((MetadataRequestData) body, request.apiVersion());
            case DESCRIBE_CLUSTER -> CompletableFuture.completedFuture(metadata.describeCluster());
            case CREATE_TOPICS -> topics.create((CreateTopicsRequestData) body);
            case DELETE_TOPICS -> topics.delete((DeleteTopicsRequestData) body);
            case CREATE_PARTITIONS -> topics.createPartitions((CreatePartitionsRequestData) body);
            case DESCRIBE_CONFIGS -> configs.describe((DescribeConfigsRequestData) body);
            case ALTER_CONFIGS -> configs.alter((AlterConfigsRequestData) body);
            case INCREMENTAL_ALTER_CONFIGS -> configs.incrementalAlter((IncrementalAlterConfigsRequestData) body);
            case ELECT_LEADERS -> partitions.electLeaders((ElectLeadersRequestData) body, request.apiVersion());
            case LIST_PARTITION_REASSIGNMENTS -> partitions.listReassignments();
            case ALTER_PARTITION_REASSIGNMENTS -> partitions.alterReassignments(
                    (AlterPartitionReassignmentsRequestData) body, request.apiVersion());
            case DESCRIBE_USER_SCRAM_CREDENTIALS -> CompletableFuture.completedFuture(
                    security.credentials().describe((DescribeUserScramCredentialsRequestData) body));
            case ALTER_USER_SCRAM_CREDENTIALS -> answer(
                    security.credentials().alter((AlterUserScramCredentialsRequestData) body));
            case CREATE_ACLS -> answer(security.acls().create((CreateAclsRequestData) body));
            case DESCRIBE_ACLS -> CompletableFuture.completedFuture(
                    security.acls().describe((DescribeAclsRequestData) body));
            case DELETE_ACLS -> answer(security.acls().delete((DeleteAclsRequestData) body));
            case DESCRIBE_CLIENT_QUOTAS -> CompletableFuture.completedFuture(
                    security.quotas().describe((DescribeClientQuotasRequestData) body));
            case ALTER_CLIENT_QUOTAS -> answer(security.quotas().alter((AlterClientQuotasRequestData) body));
            case INIT_PRODUCER_ID -> initProducerId((InitProducerIdRequestData) body);
            case BROKER_REGISTRATION -> brokers.register((BrokerRegistrationRequestData) body);
            case BROKER_HEARTBEAT -> brokers.heartbeat((BrokerHeartbeatRequestData) body);
            case ALTER_PARTITION -> brokers.alterPartition((AlterPartitionRequestData) body, request.apiVersion());
            case JOIN_GROUP -> answer(groups.join((JoinGroupRequestData) body, request.apiVersion(),
                    request.clientId(), connection.remoteAddress()));
            case SYNC_GROUP -> answer(groups.sync((SyncGroupRequestData) body));
            case HEARTBEAT -> answer(groups.heartbeat((HeartbeatRequestData) body));
            case LEAVE_GROUP -> answer(groups.leave((LeaveGroupRequestData) body, request.apiVersion()));
            case OFFSET_COMMIT -> answer(groups.commit((OffsetCommitRequestData) body));
            case OFFSET_FETCH -> answer(groups.fetchOffsets((OffsetFetchRequestData) body, request.apiVersion()));
            case OFFSET_DELETE -> answer(groups.deleteOffsets((OffsetDeleteRequestData) body));
            case CONSUMER_GROUP_HEARTBEAT -> answer(groups.consumerGroupHeartbeat(
                    (ConsumerGroupHeartbeatRequestData) body, request.clientId(), connection.remoteAddress()));
            case CONSUMER_GROUP_DESCRIBE -> answer(groups.describeConsumerGroups(
                    (ConsumerGroupDescribeRequestData) body));
            case DESCRIBE_GROUPS -> answer(groups.describe((DescribeGroupsRequestData) body));
            case LIST_GROUPS -> answer(groups.list((ListGroupsRequestData) body));
            case DELETE_GROUPS -> answer(groups.delete((DeleteGroupsRequestData) body));
            case TXN_OFFSET_COMMIT -> answer(groups.commitTransactional((TxnOffsetCommitRequestData) body));
            case ADD_PARTITIONS_TO_TXN -> answer(transactions.addPartitions((AddPartitionsToTxnRequestData) body));
            case ADD_OFFSETS_TO_TXN -> answer(transactions.addOffsets((AddOffsetsToTxnRequestData) body));
            case END_TXN -> answer(transactions.endTxn((EndTxnRequestData) body));
            case LIST_TRANSACTIONS -> answer(transactions.list((ListTransactionsRequestData) body));
            case DESCRIBE_TRANSACTIONS -> answer(transactions.describe((DescribeTransactionsRequestData) body));
            default -> CompletableFuture.failedFuture(
                    new IllegalStateException(request.api() + " is not served by the coordinator"));
        };
    }

    private static CompletableFuture<ApiMessage> answer(CompletableFuture<? extends ApiMessage> response) {
        return response.thenApply(r -> r);
    }

    /** Idempotent producers get a fresh id at epoch 0; transactional ones theirs from the transaction coordinator. */
    private CompletableFuture<ApiMessage> initProducerId(InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            return answer(transactions.initProducerId(request));
        }
        return state.nextProducerId().handle((id, error) -> error != null
                ? new InitProducerIdResponseData().setErrorCode(KafkaError.of(error).code())
                        .setProducerId(-1).setProducerEpoch((short) -1)
                : new InitProducerIdResponseData().setProducerId(id).setProducerEpoch((short) 0));
    }
}
