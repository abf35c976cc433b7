package io.sluice.coordinator.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.coordinator.CoordinatorConfig;
import io.sluice.coordinator.CoordinatorConfigs;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.controller.ControllerSettings;
import io.sluice.coordinator.group.GroupCoordinator;
import io.sluice.coordinator.group.GroupSettings;
import io.sluice.coordinator.group.InstanceSettings;
import io.sluice.coordinator.group.TopicShape;
import io.sluice.coordinator.security.AclLimits;
import io.sluice.coordinator.security.SecurityState;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.txn.TransactionCoordinator;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.KafkaChannel;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.RequestHandler;
import io.sluice.protocol.net.RequestLimits;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A coordinator serving its Kafka listener on a free loopback port, over a state store emptied for it, with brokers
 * 1, 2 and 3 registered and live, and one client connection to it: what a client (or the gateway) sees.
 */
final class ListeningCoordinator implements AutoCloseable {

    private static final CoordinatorConfig.Coordinator CONFIG = CoordinatorConfigs.read().coordinator();
    private static final CoordinatorConfig.Security SECURITY = CoordinatorConfigs.read().security();
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterState state;
    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final SecurityState security;
    private final KafkaServer server;
    private final Vertx vertx;
    private KafkaChannel channel;

    /**
     * @param maxPartitions the cluster's cap on partitions
     * @param aclLimits the cluster's caps on ACLs
     * @param listening what the listener serves with, given the coordinator's handler
     */
    ListeningCoordinator(StateStore store, Vertx vertx, int maxPartitions, AclLimits aclLimits,
            Function<CoordinatorRequestHandler, RequestHandler> listening) {
        store.withPrefix("").keySet().forEach(store::remove);
        this.vertx = vertx;
        ObjectMapper json = new ObjectMapper();
        state = new ClusterState(store, json, new ControllerSettings(60_000, maxPartitions),
                System::currentTimeMillis);
        state.load();
        for (int broker = 1; broker <= 3; broker++) {
            state.register(broker, "127.0.0.1", 9093 + broker, Uuid.randomUuid().toString()).join();
        }
        groups = new GroupCoordinator(store, json,
                new GroupSettings(6_000, 1_800_000, 0, 4096, 604_800_000, 600_000, 45_000, 5_000, 1_000),
                new InstanceSettings(300_000, 1000),
                topic -> state.topic(topic).map(t -> new TopicShape(Uuid.fromString(t.id()), t.partitions().size())),
                () -> state.topics().stream().map(t -> t.name()).toList(), System::currentTimeMillis);
        groups.start();
        transactions = new TransactionCoordinator(store, json, state, groups, vertx, ChannelLogin.NONE, 900_000);
        transactions.start();
        security = new SecurityState(store, json, aclLimits);
        security.start();
        CoordinatorRequestHandler handler = new CoordinatorRequestHandler(state, groups, transactions, security,
                CONFIG);
        server = new KafkaServer("coordinator", CoordinatorContract.APIS, listening.apply(handler),
                RequestLimits.control(CONFIG.maxHeldRequestBytes()));
        server.listen(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
        channel = connect();
    }

    ListeningCoordinator(StateStore store, Vertx vertx, int maxPartitions,
            Function<CoordinatorRequestHandler, RequestHandler> listening) {
        this(store, vertx, maxPartitions, new AclLimits(SECURITY.maxAcls(), SECURITY.maxAclDeletions()), listening);
    }

    ListeningCoordinator(StateStore store, Vertx vertx, int maxPartitions) {
        this(store, vertx, maxPartitions, handler -> handler);
    }

    ClusterState state() {
        return state;
    }

    SecurityState security() {
        return security;
    }

    /** Sends at the newest version the coordinator serves; the answer, failing if the connection closes. */
    <T extends ApiMessage> T send(ApiMessage request) {
        return send(request, CoordinatorContract.APIS.range(ApiKeys.forId(request.apiKey())).max());
    }

    @SuppressWarnings("unchecked")
    <T extends ApiMessage> T send(ApiMessage request, short version) {
        try {
            return (T) request(request, version).get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer to " + request + " at v" + version, e);
        }
    }

    /** The answer to come; it fails if the connection closes first. */
    CompletableFuture<ApiMessage> request(ApiMessage request, short version) {
        return channel.send(request, version);
    }

    /** Whether the client's connection is still open: the coordinator closes it on a request it cannot serve. */
    boolean connected() {
        return channel.isOpen();
    }

    /** A new connection in place of the current one. */
    void reconnect() {
        channel.close();
        channel = connect();
    }

    private KafkaChannel connect() {
        return KafkaChannel.connect(vertx, "test", "127.0.0.1", server.port()).toCompletionStage()
                .toCompletableFuture().join();
    }

    @Override
    public void close() {
        channel.close();
        server.close().toCompletionStage().toCompletableFuture().join();
        security.close();
        transactions.close();
        groups.close();
        state.close();
    }
}
