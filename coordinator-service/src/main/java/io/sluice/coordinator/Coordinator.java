package io.sluice.coordinator;

import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.group.GroupCoordinator;
import io.sluice.coordinator.security.SecurityState;
import io.sluice.coordinator.store.StateStore;
import io.sluice.protocol.net.MicrometerRequestMetrics;
import io.sluice.replication.NodeSettings;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A coordinator replica: it holds the replicated state and, while elected, serves it as the active coordinator (its
 * Kafka listener is open only then, so brokers and gateways find the active replica by trying each address).
 */
@ApplicationScoped
public class Coordinator {

    private static final Logger LOG = Logger.getLogger(Coordinator.class);

    @Inject
    CoordinatorConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @Inject
    MemberSecurity members;

    private StateStore store;
    private ReplicaElection election;
    private MicrometerRequestMetrics requestMetrics;
    private volatile ActiveReplica active;

    void start(@Observes StartupEvent event) {
        CoordinatorConfig.Coordinator c = config.coordinator();
        CoordinatorConfig.Jgroups jgroups = c.jgroups();
        String node = "coordinator-" + c.advertisedHost() + ":" + c.port();
        store = StateStore.start(new NodeSettings(node, jgroups.clusterName(), config.dataDir(),
                jgroups.bindAddress(), jgroups.bindPort(), jgroups.initialHosts(), jgroups.dnsQuery(),
                members.credential()), c.replicas());
        requestMetrics = new MicrometerRequestMetrics(registry, "coordinator");
        Gauge.builder("sluice.coordinator.active", this, k -> k.active == null ? 0 : 1).register(registry);
        Gauge.builder("sluice.coordinator.topics", this, k -> k.served(a -> a.state().topics().size()))
                .register(registry);
        Gauge.builder("sluice.coordinator.live.brokers", this, k -> k.served(a -> a.state().liveBrokers().size()))
                .register(registry);
        Gauge.builder("sluice.coordinator.groups", this, k -> k.served(a -> a.groups().groupCount()))
                .register(registry);
        Gauge.builder("sluice.coordinator.transactional.ids", this,
                k -> k.served(a -> a.transactions().transactionCount())).register(registry);
        election = new ReplicaElection(store, c.replicas(), this::takeRole);
        election.start();
    }

    /** On the election's thread: takes over from the replicated state, or stands down. */
    private void takeRole(boolean act) {
        if (act) {
            long started = System.nanoTime();
            active = ActiveReplica.take(store, config.coordinator(), config.security(), members.credential(), json,
                    vertx, requestMetrics);
            LOG.infof("active coordinator (replicas %s), serving after %d ms", store.members(),
                    (System.nanoTime() - started) / 1_000_000);
        } else {
            ActiveReplica was = active;
            active = null;
            was.close();
            LOG.infof("standing down: %s", !election.quorum()
                    ? "no majority of the " + config.coordinator().replicas() + " replicas in " + store.members()
                    : !store.inTouchWithMajority()
                            ? "out of touch with a majority of the replicas in " + store.members()
                            : store.notCurrent().orElse("the active coordinator is " + election.oldest()));
        }
    }

    private double served(ToIntFunction<ActiveReplica> value) {
        ActiveReplica a = active;
        return a == null ? 0 : value.applyAsInt(a);
    }

    void stop(@Observes ShutdownEvent event) {
        if (election != null) {
            election.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /**
     * Ready as the active replica, or as a standby in a view with a majority that holds the current state (it can take
     * over).
     */
    public boolean ready() {
        return active != null || (election != null && election.quorum() && store.running()
                && store.notCurrent().isEmpty());
    }

    /**
     * Why this replica does not hold the current state (waiting for a majority to tell whose state is newest, or for
     * the newest to start it, or holding older state than a replica in its view); empty when it does.
     */
    public Optional<String> stateNotCurrent() {
        return store == null ? Optional.of("not started") : store.notCurrent();
    }

    /** The version of the state in this replica's files: lineage and the last majority view it went through. */
    public String stateVersion() {
        return store == null ? "none" : store.version().toString();
    }

    /** The state served, while this replica is the active one and in touch with a majority. */
    public Optional<ClusterState> state() {
        return serving().map(ActiveReplica::state);
    }

    /** The consumer groups served, while this replica is the active one and in touch with a majority. */
    public Optional<GroupCoordinator> groups() {
        return serving().map(ActiveReplica::groups);
    }

    /** The SCRAM credentials and ACLs served, while this replica is the active one and in touch with a majority. */
    public Optional<SecurityState> security() {
        return serving().map(ActiveReplica::security);
    }

    /** Why {@link #state()} is empty: a standby names the active replica, as far as its view tells. */
    public String whyNotServing() {
        if (active != null) {
            return "this coordinator replica lost touch with a majority of the replicas " + store.members();
        }
        List<String> replicas = replicas();
        return "this coordinator replica is a standby; the active one is "
                + (replicas.isEmpty() ? "unknown" : replicas.get(0));
    }

    private Optional<ActiveReplica> serving() {
        ActiveReplica a = active;
        return a != null && store.inTouchWithMajority() ? Optional.of(a) : Optional.empty();
    }

    /** The replicas in this one's view, the active (or would-be active) one first. */
    public List<String> replicas() {
        return store == null ? List.of() : store.members();
    }
}
