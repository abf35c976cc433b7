package io.sluice.coordinator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.coordinator.group.GroupCoordinator;
import io.sluice.coordinator.group.GroupSettings;
import io.sluice.coordinator.kafka.CoordinatorRequestHandler;
import io.sluice.coordinator.state.ClusterState;
import io.sluice.coordinator.state.StateStore;
import io.sluice.coordinator.txn.TransactionCoordinator;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.MicrometerRequestMetrics;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The coordinator: its replicated state, consumer groups, transactions, its Kafka listener, and the timer that notices silent brokers. */
@ApplicationScoped
public class Coordinator {

    private static final long LIVENESS_CHECK_MS = 500;

    @Inject
    CoordinatorConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    private StateStore store;
    private ClusterState state;
    private GroupCoordinator groups;
    private TransactionCoordinator transactions;
    private KafkaServer server;
    private volatile boolean listening;

    void start(@Observes StartupEvent event) {
        CoordinatorConfig.Coordinator c = config.coordinator();
        CoordinatorConfig.Jgroups jgroups = c.jgroups();
        store = StateStore.start(config.dataDir(), "coordinator-" + jgroups.bindPort(), jgroups.clusterName(),
                jgroups.bindAddress(), jgroups.bindPort(), jgroups.initialHosts(), jgroups.dnsQuery());
        state = new ClusterState(store, json, c.brokerSessionTimeout().toMillis());
        state.load();
        CoordinatorConfig.Groups g = c.groups();
        groups = new GroupCoordinator(store, json, new GroupSettings((int) g.minSessionTimeout().toMillis(),
                (int) g.maxSessionTimeout().toMillis(), (int) g.initialRebalanceDelay().toMillis(),
                g.maxOffsetMetadataBytes()), topic -> state.topic(topic).map(t -> t.partitions().size()));
        groups.start();
        state.onTopicDeleted(groups::forgetTopic);
        transactions = new TransactionCoordinator(store, json, state, groups, vertx,
                (int) c.transactions().maxTimeout().toMillis());
        transactions.start();
        server = new KafkaServer("coordinator", CoordinatorRequestHandler.APIS,
                new CoordinatorRequestHandler(state, groups, transactions, c), c.maxRequestSize(),
                new MicrometerRequestMetrics(registry, "coordinator"));
        server.listen(vertx, c.host(), c.port()).toCompletionStage().toCompletableFuture().join();
        listening = true;
        vertx.setPeriodic(LIVENESS_CHECK_MS, t -> state.expireSilentBrokers(System.currentTimeMillis()));
        Gauge.builder("sluice.coordinator.topics", state, s -> s.topics().size()).register(registry);
        Gauge.builder("sluice.coordinator.live.brokers", state, s -> s.liveBrokers().size()).register(registry);
        Gauge.builder("sluice.coordinator.groups", groups, GroupCoordinator::groupCount).register(registry);
        Gauge.builder("sluice.coordinator.transactional.ids", transactions, TransactionCoordinator::transactionCount)
                .register(registry);
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
        if (transactions != null) {
            transactions.close();
        }
        if (groups != null) {
            groups.close();
        }
        if (state != null) {
            state.close();
        }
        if (store != null) {
            store.close();
        }
    }

    public boolean ready() {
        return listening;
    }

    public ClusterState state() {
        return state;
    }
}
