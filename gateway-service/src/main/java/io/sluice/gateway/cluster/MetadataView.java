package io.sluice.gateway.cluster;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.jboss.logging.Logger;

import io.sluice.protocol.cluster.ClusterView;
import io.sluice.protocol.cluster.FreshCall;
import io.sluice.protocol.net.ReconnectingChannel;
import io.vertx.core.Vertx;

/**
 * The gateway's picture of the cluster, from the coordinator: refreshed every second, and at once when a request
 * meets a leadership error. Also the one channel to the coordinator that admin requests travel on.
 */
public final class MetadataView implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MetadataView.class);
    private static final long REFRESH_MS = 1000;
    private static final short METADATA_VERSION = 12;

    private final Vertx vertx;
    private final ReconnectingChannel coordinator;
    private volatile ClusterView view = ClusterView.EMPTY;
    private volatile boolean loaded;
    private final FreshCall<ClusterView> refresh = new FreshCall<>(this::fetch);
    private long timer = -1;

    public MetadataView(Vertx vertx, ReconnectingChannel coordinator) {
        this.vertx = vertx;
        this.coordinator = coordinator;
    }

    public void start() {
        refresh();
        timer = vertx.setPeriodic(REFRESH_MS, t -> refresh());
    }

    public ClusterView current() {
        return view;
    }

    public boolean loaded() {
        return loaded;
    }

    /** Refreshes now and returns a view fetched after this call (the current one if the coordinator is away). */
    public CompletableFuture<ClusterView> refresh() {
        return refresh.get();
    }

    private CompletableFuture<ClusterView> fetch() {
        MetadataRequestData request = new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false);
        return coordinator.send(request, METADATA_VERSION).handle((response, error) -> {
            if (error != null) {
                LOG.debugf("metadata refresh failed: %s", error.getMessage());
                return view;
            }
            view = ClusterView.of((MetadataResponseData) response);
            loaded = true;
            return view;
        });
    }

    /** Sends a request to the coordinator as it is, at the client's version. */
    public CompletableFuture<ApiMessage> forward(ApiMessage request, short version) {
        return coordinator.send(request, version);
    }

    @Override
    public void close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        coordinator.close();
    }
}
