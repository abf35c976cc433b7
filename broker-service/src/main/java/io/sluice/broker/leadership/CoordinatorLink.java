package io.sluice.broker.leadership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterPartitionRequestData;
import org.apache.kafka.common.message.AlterPartitionResponseData;
import org.apache.kafka.common.message.BrokerHeartbeatRequestData;
import org.apache.kafka.common.message.BrokerHeartbeatResponseData;
import org.apache.kafka.common.message.BrokerRegistrationRequestData;
import org.apache.kafka.common.message.BrokerRegistrationResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.jboss.logging.Logger;

import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.metadata.ClusterViewPoller;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.ReconnectingChannel;
import io.vertx.core.Vertx;

/**
 * The broker's side of the control plane: registers with the coordinator, heartbeats every second, and polls the
 * metadata that says which partitions this broker leads. All over the Kafka protocol.
 * <p>
 * A broker leads only while its store can take writes: it registers once its store is available, and its heartbeats
 * ask the coordinator to fence it (Kafka's {@code WantFence}) while the store is not, as in a minority of the store
 * cluster or on a node back from a pause or a split that has not merged yet. The coordinator then moves its
 * partitions, and gives them back once the heartbeats stop asking.
 */
public final class CoordinatorLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CoordinatorLink.class);
    private static final long HEARTBEAT_MS = 1000;
    /** Well within the session timeout a new active coordinator gives every broker to find it (6 s by default). */
    private static final long HEARTBEAT_ANSWER_MS = 3000;
    private static final Duration METADATA_POLL = Duration.ofMillis(500);
    private static final short REGISTRATION_VERSION = 0;
    private static final short HEARTBEAT_VERSION = 0;
    private static final short DESCRIBE_CONFIGS_VERSION = 4;
    private static final short ALTER_PARTITION_VERSION = 2;

    private final Vertx vertx;
    private final ReconnectingChannel channel;
    private final int brokerId;
    private final String host;
    private final int port;
    private final BooleanSupplier storeAvailable;
    private final Uuid incarnation = Uuid.randomUuid();
    private final LeadershipLease lease = new LeadershipLease(LeadershipLease.STALL, System::nanoTime);
    /** The lease's ticker: a thread of its own, so that a busy event loop is not taken for a stall. */
    private final ScheduledExecutorService leaseTicker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "leadership-lease");
        t.setDaemon(true);
        return t;
    });
    private volatile long brokerEpoch = -1;
    private volatile boolean registering;
    private volatile boolean fenced;
    private final ClusterViewPoller metadata;
    private final List<Long> timers = new ArrayList<>();

    public CoordinatorLink(Vertx vertx, List<String> bootstrap, ChannelLogin login, int brokerId, String host,
            int port, BooleanSupplier storeAvailable, Consumer<ClusterView> onView) {
        this.vertx = vertx;
        this.channel = new ReconnectingChannel(vertx, "broker-" + brokerId, bootstrap, login);
        this.brokerId = brokerId;
        this.host = host;
        this.port = port;
        this.storeAvailable = storeAvailable;
        this.metadata = new ClusterViewPoller(vertx, channel, METADATA_POLL, onView);
    }

    public void start() {
        leaseTicker.scheduleAtFixedRate(lease::tick, 0, LeadershipLease.TICK.toMillis(), TimeUnit.MILLISECONDS);
        heartbeat();
        timers.add(vertx.setPeriodic(HEARTBEAT_MS, t -> heartbeat()));
        metadata.start();
    }

    public boolean registered() {
        return brokerEpoch >= 0;
    }

    private void register() {
        if (registering) {
            return;
        }
        registering = true;
        long sentAt = lease.now();
        BrokerRegistrationRequestData request = new BrokerRegistrationRequestData()
                .setBrokerId(brokerId)
                .setClusterId("")
                .setIncarnationId(incarnation);
        request.listeners().add(new BrokerRegistrationRequestData.Listener()
                .setName("PLAINTEXT")
                .setHost(host)
                .setPort(port)
                .setSecurityProtocol(SecurityProtocol.PLAINTEXT.id));
        channel.send(request, REGISTRATION_VERSION).whenComplete((response, error) -> {
            registering = false;
            if (error != null) {
                LOG.debugf("registration with the coordinator failed: %s", error.getMessage());
                return;
            }
            BrokerRegistrationResponseData data = (BrokerRegistrationResponseData) response;
            if (data.errorCode() != Errors.NONE.code()) {
                LOG.warnf("the coordinator refused registration of broker %d: %s", brokerId,
                        Errors.forCode(data.errorCode()));
                return;
            }
            brokerEpoch = data.brokerEpoch();
            lease.renew(sentAt);
            LOG.infof("broker %d registered with the coordinator (epoch %d)", brokerId, brokerEpoch);
            pollMetadata();
        });
    }

    private void heartbeat() {
        boolean available = storeAvailable.getAsBoolean();
        if (brokerEpoch < 0) {
            if (available) {
                register();
            }
            return;
        }
        if (fenced == available) {
            fenced = !available;
            LOG.infof(fenced ? "the store is unavailable: asking the coordinator to move this broker's partitions"
                    : "the store is available again: this broker may lead");
        }
        long sentAt = lease.now();
        sendHeartbeat(false).orTimeout(HEARTBEAT_ANSWER_MS, TimeUnit.MILLISECONDS).whenComplete((data, error) -> {
            if (error instanceof TimeoutException) {
                // A replica that stopped answering keeps its connection open (paused, or cut off); the one that
                // takes over gives this broker one session timeout to find it, far less than a request's deadline.
                LOG.infof("the coordinator did not answer a heartbeat within %d ms; trying the other replicas",
                        HEARTBEAT_ANSWER_MS);
                channel.abandon();
            } else if (error != null) {
                LOG.debugf("heartbeat failed: %s", error.getMessage());
            } else if (data.errorCode() == Errors.NONE.code()) {
                lease.renew(sentAt);
            } else if (data.errorCode() == Errors.NOT_CONTROLLER.code()) {
                // The active replica lost the majority while storing it: the next heartbeat goes to whichever acts.
                LOG.debugf("coordinator answered heartbeat with %s", Errors.NOT_CONTROLLER);
            } else {
                LOG.infof("coordinator answered heartbeat with %s; registering again", Errors.forCode(data.errorCode()));
                brokerEpoch = -1;
                register();
            }
        });
    }

    private CompletableFuture<BrokerHeartbeatResponseData> sendHeartbeat(boolean shutdown) {
        BrokerHeartbeatRequestData request = new BrokerHeartbeatRequestData()
                .setBrokerId(brokerId)
                .setBrokerEpoch(brokerEpoch)
                .setWantFence(fenced)
                .setWantShutDown(shutdown);
        return channel.send(request, HEARTBEAT_VERSION).thenApply(r -> (BrokerHeartbeatResponseData) r);
    }

    /**
     * Tells the coordinator where the data of partitions this broker leads lives ({@link OwnerReports}); once it has
     * answered, the next view is fetched at once, so that leadership this broker gave up stops here soon.
     */
    public CompletableFuture<AlterPartitionResponseData> reportOwners(AlterPartitionRequestData request) {
        if (brokerEpoch < 0 || fenced) {
            return CompletableFuture.failedFuture(new IllegalStateException("not registered, or fenced"));
        }
        request.setBrokerId(brokerId).setBrokerEpoch(brokerEpoch);
        return channel.send(request, ALTER_PARTITION_VERSION)
                .thenCompose(r -> pollMetadata().handle((v, e) -> (AlterPartitionResponseData) r));
    }

    /** Whether this broker may write as a leader: not across a stall of its own ({@link LeadershipLease}). */
    public boolean leaseHeld() {
        return lease.held();
    }

    /** Asks for the cluster view now; completes once a view fetched after this call has been handed on. */
    public CompletableFuture<Void> pollMetadata() {
        return metadata.refresh().thenApply(view -> null);
    }

    /** The configs of the given topics, as the coordinator stores them (only values that differ from defaults). */
    public CompletableFuture<Map<String, Map<String, String>>> topicConfigs(List<String> topics) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData();
        for (String topic : topics) {
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id())
                    .setResourceName(topic)
                    .setConfigurationKeys(null));
        }
        return channel.send(request, DESCRIBE_CONFIGS_VERSION).thenApply(r -> {
            Map<String, Map<String, String>> configs = new java.util.HashMap<>();
            for (DescribeConfigsResponseData.DescribeConfigsResult result : ((DescribeConfigsResponseData) r)
                    .results()) {
                if (result.errorCode() == Errors.NONE.code()) {
                    Map<String, String> values = new java.util.HashMap<>();
                    result.configs().forEach(c -> values.put(c.name(), c.value()));
                    configs.put(result.resourceName(), values);
                }
            }
            return configs;
        });
    }

    /** Tells the coordinator this broker is leaving, so leadership moves now rather than after the session timeout. */
    public CompletableFuture<Void> leave() {
        if (brokerEpoch < 0) {
            return CompletableFuture.completedFuture(null);
        }
        return sendHeartbeat(true).handle((r, e) -> null);
    }

    @Override
    public void close() {
        leaseTicker.shutdownNow();
        timers.forEach(vertx::cancelTimer);
        metadata.close();
        channel.close();
    }
}
