package io.sluice.gateway.api;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.quota.ClientQuotas;
import io.sluice.gateway.quota.ControllerMutations;
import io.sluice.gateway.quota.Throttles;
import io.sluice.gateway.routing.CoordinatorRouter;
import io.sluice.gateway.routing.DataRouter;
import io.sluice.gateway.security.AuthorizedViews;
import io.sluice.gateway.security.Authorizer;
import io.sluice.gateway.security.RequestAuthorizer;
import io.sluice.gateway.security.ResourceRefusals;
import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.ErrorResponses;
import io.sluice.protocol.codec.RequestFrame;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.net.ActiveServer;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.ClientConnection;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.net.RequestHandler;
import io.vertx.core.Vertx;

/**
 * The gateway's Kafka listener: answers what it can itself, routes data to brokers, admin, groups and
 * transactions to the coordinator; with authorization on, first refuses what the client's ACLs do not allow and
 * hides from Metadata and ListGroups what they may not describe. Produce and Fetch count against the client's byte
 * rate quotas: over one, the answer carries the throttle time and the connection is not read meanwhile, as Kafka does.
 */
public final class GatewayRequestHandler implements RequestHandler {

    /**
     * Admin requests the coordinator answers; the mutating ones refresh the view before the client hears back. While
     * no coordinator answers, they get NOT_CONTROLLER, which Kafka's admin client retries.
     */
    private static final Set<ApiKeys> ADMIN = CoordinatorContract.ADMIN_APIS.stream()
            .map(ApiVersionRange::api)
            .collect(Collectors.toUnmodifiableSet());
    private static final Set<ApiKeys> CHANGE_METADATA = Set.of(ApiKeys.CREATE_TOPICS, ApiKeys.DELETE_TOPICS,
            ApiKeys.CREATE_PARTITIONS, ApiKeys.ELECT_LEADERS);

    private final MetadataView metadata;
    private final GatewayNode node;
    private final GatewayAsLeaderMetadata asLeader;
    private final GatewayAsCoordinator asCoordinator;
    private final DataRouter data;
    private final CoordinatorRouter groupsAndTransactions;
    private final Supplier<Authorizer> authorization;
    private final Throttles throttles;
    private final ControllerMutations mutations;
    private final FetchSessions fetchSessions;

    /**
     * @param coordinators the coordinator replicas, whose channels group and transaction requests go on over
     * @param login how channels to brokers and the coordinator log in
     * @param authorization the ACLs every request is checked against; null when authorization is off
     * @param throttles the byte rates of clients with quotas, shared by the gateway's listeners
     * @param fetchMemory what the gateway's fetches may gather at once, shared by its listeners
     * @param fetchSessions the gateway's incremental fetch sessions, shared by its listeners
     */
    public GatewayRequestHandler(Vertx vertx, MetadataView metadata, GatewayNode node, ActiveServer coordinators,
            ChannelLogin login, Supplier<Authorizer> authorization, Throttles throttles, FetchMemory fetchMemory,
            FetchSessions fetchSessions) {
        this.metadata = metadata;
        this.authorization = authorization;
        this.throttles = throttles;
        this.mutations = new ControllerMutations(throttles, metadata::current);
        this.fetchSessions = fetchSessions;
        this.node = node;
        this.asLeader = new GatewayAsLeaderMetadata(metadata, node);
        this.asCoordinator = new GatewayAsCoordinator(node);
        this.data = new DataRouter(vertx, metadata, login, fetchMemory);
        this.groupsAndTransactions = new CoordinatorRouter(vertx, coordinators, login);
    }

    @Override
    public CompletionStage<ApiMessage> handle(RequestFrame request, ClientConnection connection) {
        return request.api() == ApiKeys.FETCH
                ? fetchSessions.serve(request, connection, sessionless -> handleSessionless(sessionless, connection))
                : handleSessionless(request, connection);
    }

    /** A request, a Fetch's session already resolved. */
    private CompletionStage<ApiMessage> handleSessionless(RequestFrame request, ClientConnection connection) {
        if (!throttles.active()) {
            return authorizeAndServe(request, connection);
        }
        if (request.api() == ApiKeys.FETCH) {
            FetchResponseData owing = owing(request, connection);
            if (owing != null) {
                return CompletableFuture.completedFuture(owing);
            }
        }
        String user = connection.principal().getName();
        if (ControllerMutations.holds(request.api())) {
            return mutations.serve(request, user, connection::mute, allowed -> authorizeAndServe(allowed, connection))
                    .thenApply(a -> throttles.withWorkOwed(a, user, request.clientId()));
        }
        CompletionStage<ApiMessage> answer = authorizeAndServe(request, connection)
                .thenApply(a -> throttles.withWorkOwed(a, user, request.clientId()));
        return switch (request.api()) {
            case PRODUCE -> answer.thenApply(a -> throttled(ClientQuotas.PRODUCER_BYTE_RATE, request, connection,
                    ((ProduceRequestData) request.body()).topicData().stream()
                            .flatMap(t -> t.partitionData().stream())
                            .mapToLong(p -> p.records() == null ? 0 : p.records().sizeInBytes()).sum(),
                    a));
            case FETCH -> answer.thenApply(a -> throttled(ClientQuotas.CONSUMER_BYTE_RATE, request, connection,
                    a == null ? 0
                            : ((FetchResponseData) a).responses().stream()
                                    .flatMap(t -> t.partitions().stream())
                                    .mapToLong(p -> p.records() == null ? 0 : p.records().sizeInBytes()).sum(),
                    a));
            default -> answer;
        };
    }

    /** Kafka's request quota: the event loop's time on each request counts against the client's request_percentage. */
    @Override
    public void worked(RequestFrame request, ClientConnection connection, long nanos) {
        if (throttles.active() && request.api() != ApiKeys.API_VERSIONS) {
            throttles.recordWork(connection.principal().getName(), request.clientId(), nanos, connection);
        }
    }

    /**
     * As Kafka: a client that owes under its consumer quota gets an empty Fetch and how long to wait (null when it owes
     * nothing); otherwise its fetch asks for no more than its quota allows at once.
     */
    private FetchResponseData owing(RequestFrame request, ClientConnection connection) {
        String user = connection.principal().getName();
        long owed = throttles.owed(ClientQuotas.CONSUMER_BYTE_RATE, user, request.clientId());
        if (owed > 0) {
            connection.mute(owed);
            return new FetchResponseData().setThrottleTimeMs((int) owed).setSessionId(0);
        }
        FetchRequestData fetch = (FetchRequestData) request.body();
        throttles.burst(ClientQuotas.CONSUMER_BYTE_RATE, user, request.clientId())
                .ifPresent(most -> fetch.setMaxBytes((int) Math.min(fetch.maxBytes(), most)));
        return null;
    }

    /** Records the bytes against the client's quota; over it, tells the client to wait and stops reading it meanwhile. */
    private ApiMessage throttled(String quota, RequestFrame request, ClientConnection connection, long bytes,
            ApiMessage answer) {
        long throttleMs = throttles.record(quota, connection.principal().getName(), request.clientId(), bytes);
        if (throttleMs > 0) {
            connection.mute(throttleMs);
            if (answer instanceof ProduceResponseData produce) {
                produce.setThrottleTimeMs((int) Math.max(produce.throttleTimeMs(), throttleMs));
            } else if (answer instanceof FetchResponseData fetch) {
                fetch.setThrottleTimeMs((int) Math.max(fetch.throttleTimeMs(), throttleMs));
            }
        }
        return answer;
    }

    private CompletionStage<ApiMessage> authorizeAndServe(RequestFrame request, ClientConnection connection) {
        if (authorization == null) {
            return serve(request, connection);
        }
        RequestAuthorizer access = new RequestAuthorizer(authorization.get(), connection.principal(),
                connection.host(), this::topicName);
        Optional<ResourceRefusals.Split> split = ResourceRefusals.split(request.api(), request.body(), access,
                this::topicName);
        if (split.isPresent()) {
            ResourceRefusals.Split refused = split.get();
            CompletionStage<ApiMessage> rest = refused.allowed() == null
                    ? CompletableFuture.completedFuture(refused.empty())
                    : serve(new RequestFrame(request.apiKey(), request.apiVersion(), request.correlationId(),
                            request.clientId(), refused.allowed()), connection);
            return rest.thenApply(refused::withRefusals);
        }
        Errors refusal = access.refusal(request.api(), request.body());
        if (refusal != null) {
            boolean unanswered = request.api() == ApiKeys.PRODUCE && ((ProduceRequestData) request.body()).acks() == 0;
            return CompletableFuture.completedFuture(unanswered ? null
                    : ErrorResponses.of(request.body(), request.apiVersion(), refusal));
        }
        return switch (request.api()) {
            case METADATA -> asLeader.handle(AuthorizedViews.describable((MetadataRequestData) request.body(),
                    access, this::topicName), request.apiVersion())
                    .thenApply(answer -> AuthorizedViews.filter((MetadataRequestData) request.body(),
                            (MetadataResponseData) answer, access));
            case LIST_GROUPS -> serve(request, connection)
                    .thenApply(answer -> AuthorizedViews.filter((ListGroupsResponseData) answer, access));
            case OFFSET_FETCH -> serve(request, connection)
                    .thenApply(answer -> AuthorizedViews.filter((OffsetFetchRequestData) request.body(),
                            (OffsetFetchResponseData) answer, access, this::topicName));
            case LIST_TRANSACTIONS -> serve(request, connection)
                    .thenApply(answer -> AuthorizedViews.filter((ListTransactionsResponseData) answer, access));
            case DESCRIBE_TRANSACTIONS -> serve(request, connection)
                    .thenApply(answer -> AuthorizedViews.filter((DescribeTransactionsResponseData) answer, access));
            case PRODUCE, FETCH, LIST_OFFSETS, OFFSET_FOR_LEADER_EPOCH, DELETE_RECORDS, DESCRIBE_PRODUCERS ->
                data.route(request, connection,
                        access.dataTopics(request.api()));
            default -> serve(request, connection);
        };
    }

    private String topicName(Uuid id) {
        ClusterView.TopicView topic = metadata.current().topic(id);
        return topic == null ? null : topic.name();
    }

    private CompletionStage<ApiMessage> serve(RequestFrame request, ClientConnection connection) {
        short version = request.apiVersion();
        ApiMessage body = request.body();
        if (ADMIN.contains(request.api())) {
            CompletableFuture<ApiMessage> answer = metadata.forward(body, version)
                    .exceptionally(failure -> ErrorResponses.upstreamFailed(failure, body, version, Errors.NOT_CONTROLLER));
            return CHANGE_METADATA.contains(request.api())
                    ? answer.thenCompose(a -> metadata.refresh().thenApply(v -> a))
                    : answer;
        }
        if (CoordinatorRouter.APIS.contains(request.api())) {
            return groupsAndTransactions.route(request, connection);
        }
        if (DataRouter.APIS.contains(request.api())) {
            return data.route(request, connection);
        }
        return switch (request.api()) {
            case FIND_COORDINATOR -> CompletableFuture.completedFuture(
                    asCoordinator.findCoordinator((FindCoordinatorRequestData) body, version));
            case METADATA -> asLeader.handle((MetadataRequestData) body, version);
            case DESCRIBE_CLUSTER -> CompletableFuture.completedFuture(describeCluster());
            default -> CompletableFuture.failedFuture(new IllegalStateException(request.api() + " is not routed"));
        };
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
