package io.sluice.gateway.metadata;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.metadata.ClusterViewPoller;
import io.sluice.protocol.net.ReconnectingChannel;
import io.vertx.core.Vertx;

/**
 * The gateway's picture of the cluster, from the coordinator: refreshed every second, and at once when a request
 * meets a leadership error. Also the one channel to the coordinator that admin requests travel on.
 */
public final class MetadataView implements AutoCloseable {

    /** How often the view is asked for when no request has found it stale. */
    public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final ReconnectingChannel coordinator;
    private final ClusterViewPoller poller;

    /** @param coordinator the channel to the coordinator replicas; the view closes it */
    public MetadataView(Vertx vertx, ReconnectingChannel coordinator, Duration pollInterval) {
        this.coordinator = coordinator;
        this.poller = new ClusterViewPoller(vertx, coordinator, pollInterval, view -> {
        });
    }

    public void start() {
        poller.start();
    }

    public ClusterView current() {
        return poller.current();
    }

    public boolean loaded() {
        return poller.loaded();
    }

    /** Refreshes now and returns a view fetched after this call (the current one if the coordinator is away). */
    public CompletableFuture<ClusterView> refresh() {
        return poller.refresh();
    }

    /** Sends a request to the coordinator as it is, at the client's version. */
    public CompletableFuture<ApiMessage> forward(ApiMessage request, short version) {
        return coordinator.send(request, version);
    }

    @Override
    public void close() {
        poller.close();
        coordinator.close();
    }
}
