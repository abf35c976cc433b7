package io.sluice.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sluice.gateway.api.GatewayNode;
import io.sluice.gateway.api.GatewayRequestHandler;
import io.sluice.gateway.metadata.MetadataView;
import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.MicrometerRequestMetrics;
import io.sluice.protocol.net.ReconnectingChannel;
import io.sluice.protocol.net.RequestLimits;
import io.vertx.core.Vertx;

/** The gateway: its metadata view, its Kafka listener and its own requests to leaders. */
@ApplicationScoped
public class Gateway {

    @Inject
    GatewayConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    private MetadataView metadata;
    private LeaderRequests leaders;
    private KafkaServer server;
    private volatile boolean listening;

    void start(@Observes StartupEvent event) {
        GatewayConfig.Gateway gateway = config.gateway();
        metadata = new MetadataView(vertx,
                new ReconnectingChannel(vertx, "gateway", config.coordinator().bootstrap()), MetadataView.POLL_INTERVAL);
        metadata.start();
        leaders = new LeaderRequests(vertx, metadata, gateway.http().maxReads());
        GatewayNode node = new GatewayNode(gateway.advertisedHost(), gateway.advertisedPort().orElse(gateway.port()));
        server = new KafkaServer("gateway", GatewayContract.APIS,
                new GatewayRequestHandler(vertx, metadata, node, config.coordinator().bootstrap()),
                new RequestLimits(gateway.maxRequestSize(), gateway.maxHeldRequestBytes()),
                new MicrometerRequestMetrics(registry, "gateway"));
        server.listen(vertx, gateway.host(), gateway.port()).toCompletionStage().toCompletableFuture().join();
        listening = true;
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
        if (leaders != null) {
            leaders.close();
        }
        if (metadata != null) {
            metadata.close();
        }
    }

    public boolean ready() {
        return listening && metadata.loaded();
    }

    public MetadataView metadata() {
        return metadata;
    }

    /** Produce, fetch and list offsets at partition leaders on the gateway's own account (the HTTP API's). */
    public LeaderRequests leaders() {
        return leaders;
    }
}
