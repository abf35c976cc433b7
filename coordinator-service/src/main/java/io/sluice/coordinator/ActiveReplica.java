package io.sluice.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.Uuid;
import org.jboss.logging.Logger;

import io.sluice.coordinator.api.CoordinatorRequestHandler;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.controller.ControllerSettings;
import io.sluice.coordinator.group.GroupCoordinator;
import io.sluice.coordinator.group.GroupSettings;
import io.sluice.coordinator.group.InstanceSettings;
import io.sluice.coordinator.group.TopicShape;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.coordinator.security.AclLimits;
import io.sluice.coordinator.security.SecurityState;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.txn.TransactionCoordinator;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.RequestLimits;
import io.sluice.protocol.net.RequestMetrics;
import io.sluice.protocol.security.ListenerSecurity;
import io.sluice.protocol.security.MemberCredential;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What only the active coordinator runs: the cluster state, groups, transactions and the security state (SCRAM
 * credentials and ACLs) served from memory, the Kafka listener, and the timer that notices silent brokers. Built from
 * the replicated store at each takeover, so nothing a standby held in memory can go stale; closed when this replica
 * stands down.
 */
final class ActiveReplica implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ActiveReplica.class);
    private static final long LIVENESS_CHECK_MS = 500;

    private final Vertx vertx;
    private final ClusterState state;
    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final SecurityState security;
    private final KafkaServer server;
    private final long livenessTimer;

    private ActiveReplica(Vertx vertx, StateStore store, ClusterState state, GroupCoordinator groups,
            TransactionCoordinator transactions, SecurityState security, KafkaServer server) {
        this.vertx = vertx;
        this.state = state;
        this.groups = groups;
        this.transactions = transactions;
        this.security = security;
        this.server = server;
        // Cut off from the other replicas, it judges no broker: the majority's active replica does.
        this.livenessTimer = vertx.setPeriodic(LIVENESS_CHECK_MS, t -> {
            if (store.inTouchWithMajority()) {
                state.expireSilentBrokers();
            }
        });
    }

    /**
     * Loads everything from the store, gives the bootstrap admin its credentials if they do not verify, and starts
     * serving (blocking until the listener is up).
     */
    static ActiveReplica take(StateStore store, CoordinatorConfig.Coordinator c, CoordinatorConfig.Security security,
            Optional<MemberCredential> member, ObjectMapper json, Vertx vertx, RequestMetrics metrics) {
        // Whatever was built is closed again if a later step fails: the election retries every second.
        List<AutoCloseable> built = new ArrayList<>();
        try {
            ClusterState state = new ClusterState(store, json,
                    new ControllerSettings(c.brokerSessionTimeout().toMillis(), c.maxPartitions()),
                    System::currentTimeMillis);
            built.add(state);
            state.load();
            CoordinatorConfig.Groups g = c.groups();
            GroupCoordinator groups = new GroupCoordinator(store, json, new GroupSettings(
                    (int) g.minSessionTimeout().toMillis(), (int) g.maxSessionTimeout().toMillis(),
                    (int) g.initialRebalanceDelay().toMillis(), g.maxOffsetMetadataBytes(),
                    g.offsetsRetention().toMillis(), g.offsetsRetentionCheckInterval().toMillis(),
                    (int) g.consumerSessionTimeout().toMillis(), (int) g.consumerHeartbeatInterval().toMillis(),
                    g.consumerMaxSize()),
                    new InstanceSettings(c.httpConsumers().idleTimeout().toMillis(), c.httpConsumers().maxInstances()),
                    topic -> state.topic(topic)
                            .map(t -> new TopicShape(Uuid.fromString(t.id()), t.partitions().size())),
                    () -> state.topics().stream().map(TopicRecord::name).toList(), System::currentTimeMillis);
            built.add(0, groups);
            groups.start();
            state.onTopicDeleted(groups::forgetTopic);
            TransactionCoordinator transactions = new TransactionCoordinator(store, json, state, groups, vertx,
                    member.map(MemberCredential::login).orElse(ChannelLogin.NONE),
                    (int) c.transactions().maxTimeout().toMillis());
            built.add(0, transactions);
            transactions.start();
            SecurityState securityState = new SecurityState(store, json,
                    new AclLimits(security.maxAcls(), security.maxAclDeletions()));
            built.add(0, securityState);
            securityState.start();
            if (security.adminPassword().isPresent() && securityState.credentials()
                    .ensureUser(security.adminUser(), security.adminPassword().get()).join()) {
                LOG.infof("the bootstrap admin %s has new SCRAM-SHA-256 and SCRAM-SHA-512 credentials",
                        security.adminUser());
            }
            KafkaServer server = new KafkaServer("coordinator", CoordinatorContract.APIS,
                    new MajorityGuard(new CoordinatorRequestHandler(state, groups, transactions, securityState, c),
                            store::inTouchWithMajority),
                    RequestLimits.control(c.maxHeldRequestBytes()),
                    metrics);
            server.listen(vertx, c.host(), c.port(),
                    member.map(MemberCredential::listener).orElse(ListenerSecurity.PLAINTEXT))
                    .toCompletionStage().toCompletableFuture().join();
            return new ActiveReplica(vertx, store, state, groups, transactions, securityState, server);
        } catch (RuntimeException e) {
            for (AutoCloseable part : built) {
                try {
                    part.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    ClusterState state() {
        return state;
    }

    GroupCoordinator groups() {
        return groups;
    }

    TransactionCoordinator transactions() {
        return transactions;
    }

    SecurityState security() {
        return security;
    }

    /** Stops serving: the listener and every client connection close first, so nothing acts on a half-closed state. */
    @Override
    public void close() {
        vertx.cancelTimer(livenessTimer);
        server.close().toCompletionStage().toCompletableFuture().join();
        security.close();
        transactions.close();
        groups.close();
        state.close();
    }
}
