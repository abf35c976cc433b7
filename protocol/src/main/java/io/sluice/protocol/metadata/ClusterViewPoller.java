package io.sluice.protocol.metadata;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.jboss.logging.Logger;

import io.sluice.protocol.net.ReconnectingChannel;
import io.vertx.core.Vertx;

/**
 * Keeps the cluster view that brokers and gateways route by: asks the active coordinator for it (a Metadata request
 * for every topic) at a fixed interval, and at once when a caller has seen it go stale (a leadership error). A replica
 * that leaves the request unanswered for {@link #ANSWER_LIMIT} stopped answering without closing its connection
 * (paused, or cut off by the network): it is given up on every channel to it
 * ({@link ReconnectingChannel#abandon()}), so that the replica that takes over is found within seconds, not at a
 * request's 30 s deadline.
 */
public final class ClusterViewPoller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterViewPoller.class);
    private static final short METADATA_VERSION = 12;
    /** Far more than a Metadata answer takes, far less than the two session timeouts a takeover gives brokers. */
    static final Duration ANSWER_LIMIT = Duration.ofSeconds(3);

    private final Vertx vertx;
    private final ReconnectingChannel coordinator;
    private final Duration interval;
    private final Consumer<ClusterView> onView;
    private final FreshCall<ClusterView> refresh = new FreshCall<>(this::fetch);
    private volatile ClusterView view = ClusterView.EMPTY;
    private volatile boolean loaded;
    private long timer = -1;

    /**
     * @param coordinator the channel to the coordinator replicas; its owner closes it
     * @param onView called with every view fetched, on the channel's thread
     */
    public ClusterViewPoller(Vertx vertx, ReconnectingChannel coordinator, Duration interval,
            Consumer<ClusterView> onView) {
        this.vertx = vertx;
        this.coordinator = coordinator;
        this.interval = interval;
        this.onView = onView;
    }

    public void start() {
        refresh();
        timer = vertx.setPeriodic(interval.toMillis(), t -> refresh());
    }

    /** The last view fetched; {@link ClusterView#EMPTY} until the first. */
    public ClusterView current() {
        return view;
    }

    /** Whether a view has been fetched since the start. */
    public boolean loaded() {
        return loaded;
    }

    /** Fetches now; completes with a view fetched after this call, or the current one if the coordinator is away. */
    public CompletableFuture<ClusterView> refresh() {
        return refresh.get();
    }

    private CompletableFuture<ClusterView> fetch() {
        MetadataRequestData request = new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false);
        return coordinator.send(request, METADATA_VERSION).orTimeout(ANSWER_LIMIT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error instanceof TimeoutException) {
                        LOG.infof("the coordinator did not answer within %d ms; trying the other replicas",
                                ANSWER_LIMIT.toMillis());
                        coordinator.abandon();
                        return view;
                    }
                    if (error != null) {
                        LOG.debugf("cluster view refresh failed: %s", error.getMessage());
                        return view;
                    }
                    view = ClusterView.of((MetadataResponseData) response);
                    loaded = true;
                    onView.accept(view);
                    return view;
                });
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
