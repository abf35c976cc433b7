package io.sluice.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.broker.api.BrokerRequestHandler;
import io.sluice.broker.leadership.CoordinatorLink;
import io.sluice.broker.leadership.OwnerReports;
import io.sluice.broker.leadership.PartitionLeaders;
import io.sluice.broker.log.LogCleaner;
import io.sluice.broker.log.LogSettings;
import io.sluice.broker.log.RecentMemory;
import io.sluice.broker.store.PartitionStore;
import io.sluice.broker.store.StoreGauges;
import io.sluice.broker.store.StoreSettings;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.MicrometerRequestMetrics;
import io.sluice.protocol.net.RequestLimits;
import io.sluice.protocol.security.ListenerSecurity;
import io.sluice.protocol.security.MemberCredential;
import io.sluice.replication.NodeSettings;
import io.vertx.core.Vertx;

/** One broker: its store node, the partitions it leads, its Kafka listener and its link to the coordinator. */
@ApplicationScoped
public class Broker {

    private static final Logger LOG = Logger.getLogger(Broker.class);
    private static final long CONFIG_REFRESH_MS = 5_000;
    private static final long RETENTION_CHECK_MS = 30_000;
    private static final long OWNER_CHECK_MS = 1_000;

    @Inject
    BrokerConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Inject
    MemberSecurity members;

    private PartitionStore store;
    private PartitionLeaders leaders;
    private CoordinatorLink coordinator;
    private OwnerReports owners;
    private KafkaServer server;
    private LogCleaner cleaner;
    private volatile boolean listening;

    void start(@Observes StartupEvent event) {
        BrokerConfig.Broker broker = config.broker();
        if (broker.id() < 1 || broker.id() > BrokerContract.MAX_ID) {
            throw new IllegalArgumentException("sluice.broker.id must be 1.." + BrokerContract.MAX_ID);
        }
        Optional<MemberCredential> member = members.credential();
        long heap = Runtime.getRuntime().maxMemory();
        store = PartitionStore.start(new StoreSettings(new NodeSettings(OwnerReports.nodeName(broker.id()),
                broker.jgroups().clusterName(), config.dataDir(), broker.jgroups().bindAddress(),
                broker.jgroups().bindPort(), broker.jgroups().initialHosts(), broker.jgroups().dnsQuery(), member),
                broker.store().memoryMax().orElse(heap / 4)));
        StoreGauges.register(store, registry);
        RecentMemory recent = new RecentMemory(broker.store().recentBytes().orElse(heap / 16));
        Gauge.builder("sluice.log.recent.used", recent::usedBytes).baseUnit(BaseUnits.BYTES)
                .description("The newest chunks partition leaders keep in memory for tailing consumers")
                .register(registry);
        Gauge.builder("sluice.log.recent.budget", recent::budgetBytes).baseUnit(BaseUnits.BYTES)
                .description("The memory partition leaders keep their newest chunks in, together").register(registry);
        leaders = new PartitionLeaders(broker.id(), store, LogSettings.defaults(broker.store().chunkMaxBytes(), recent));
        cleaner = new LogCleaner(leaders::openLogs, new LogCleaner.Settings(broker.cleaner().offsetMapBytes(),
                Duration.ofMillis(broker.cleaner().backoffMs()), Duration.ofMillis(broker.cleaner().deleteDelayMs())),
                registry);
        FetchMemory fetchMemory = new FetchMemory(broker.store().fetchMemoryMax().orElse(heap / 8));
        Gauge.builder("sluice.fetch.memory.used", fetchMemory::usedBytes).baseUnit(BaseUnits.BYTES)
                .description("Bytes the fetches under way may read, out of sluice.broker.store.fetch-memory-max")
                .register(registry);
        server = new KafkaServer("broker-" + broker.id(), BrokerContract.APIS,
                new BrokerRequestHandler(leaders, vertx, config.dataDir(), fetchMemory),
                new RequestLimits(broker.maxRequestSize(), broker.maxHeldRequestBytes()),
                new MicrometerRequestMetrics(registry, "broker"));
        server.listen(vertx, broker.host(), broker.port(),
                member.map(MemberCredential::listener).orElse(ListenerSecurity.PLAINTEXT))
                .toCompletionStage().toCompletableFuture().join();
        listening = true;
        coordinator = new CoordinatorLink(vertx, config.coordinator().bootstrap(),
                member.map(MemberCredential::login).orElse(ChannelLogin.NONE), broker.id(),
                broker.advertisedHost(), broker.port(), store::available, view -> {
                    leaders.apply(view);
                    owners.check();
                });
        owners = new OwnerReports(broker.id(), store, leaders::view, coordinator::reportOwners, leaders::stepDown);
        leaders.connect(coordinator::pollMetadata, topic -> coordinator.topicConfigs(List.of(topic))
                .thenApply(configs -> configs.getOrDefault(topic, Map.of())), coordinator::leaseHeld);
        coordinator.start();
        vertx.setPeriodic(OWNER_CHECK_MS, t -> owners.check());
        vertx.setPeriodic(CONFIG_REFRESH_MS, t -> refreshTopicConfigs());
        cleaner.start();
        vertx.setPeriodic(RETENTION_CHECK_MS, t -> leaders.openLogs()
                .forEach(log -> log.enforceRetention(System.currentTimeMillis())));
    }

    private void refreshTopicConfigs() {
        List<String> topics = List.copyOf(leaders.ledTopics());
        if (topics.isEmpty()) {
            return;
        }
        coordinator.topicConfigs(topics).whenComplete((configs, error) -> {
            if (error == null) {
                configs.forEach(leaders::updateTopicConfigs);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        LOG.info("broker leaving the cluster");
        if (coordinator != null) {
            try {
                coordinator.leave().get(3, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debugf("leave notice not acknowledged: %s", e.getMessage());
            }
            coordinator.close();
        }
        if (server != null) {
            server.close();
        }
        if (cleaner != null) {
            cleaner.close();
        }
        if (leaders != null) {
            leaders.closeAll();
        }
        if (store != null) {
            store.close();
        }
    }

    /** Ready once the listener is up, the store has joined and the coordinator has accepted this broker. */
    public boolean ready() {
        return listening && coordinator != null && coordinator.registered();
    }

    public int partitionsLed() {
        return leaders == null ? 0 : leaders.ledCount();
    }

    public PartitionStore store() {
        return store;
    }

    /** Where the data of each replicated partition lives; null until the broker has started. */
    public OwnerReports owners() {
        return owners;
    }
}
