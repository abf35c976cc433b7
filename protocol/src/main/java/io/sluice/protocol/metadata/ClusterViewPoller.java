package io.sluice.protocol.metadata;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.jboss.logging.Logger;

import io.sluice.protocol.net.ReconnectingChannel;
import io.vertx.core.Vertx;

/**
 * Keeps the cluster view that brokers and gateways route by: asks the active coordinator for it (a Metadata request
 * for every topic) at a fixed interval, and at once when a caller has seen it go stale (a leadership error).
 */
public final class ClusterViewPoller implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterViewPoller.class);
    private static final short METADATA_VERSION = 12;

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
        return coordinator.send(request, METADATA_VERSION).handle((response, error) -> {
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
