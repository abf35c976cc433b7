package io.sluice.gateway.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.gateway.Gateway;
import io.sluice.gateway.GatewayConfig;
import io.sluice.gateway.quota.QuotaAccount;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * What every HTTP path produces, reads and administers topics and groups with, made once the gateway has started (its metadata
 * view and leader connections exist only then).
 */
@ApplicationScoped
public class HttpServices {

    /** The live tails together fetch at most this share of the heap at once (see {@link StreamSlots}). */
    private static final int STREAM_HEAP_SHARE = 8;

    @Inject
    Gateway gateway;

    @Inject
    GatewayConfig config;

    @Inject
    MeterRegistry registry;

    private HttpProducer producer;
    private PartitionReader reader;
    private TopicAdmin admin;
    private GroupAdmin groups;
    private StreamSlots streams;
    private Counter handedOver;

    /**
     * Runs the work on a worker thread. Paths that take a body are non-blocking so that Quarkus REST reads the body
     * whole on the event loop as it arrives; a blocking path's body is read on its worker a chunk at a time, each chunk
     * a wait for the event loop. Their work (JSON of up to the body limit, a topic lookup) then moves here, once.
     */
    static <T> CompletableFuture<T> onWorker(Supplier<? extends CompletionStage<T>> work) {
        return CompletableFuture.supplyAsync(work, Infrastructure.getDefaultWorkerPool())
                .thenCompose(Function.identity());
    }

    synchronized HttpProducer producer() {
        if (producer == null) {
            producer = new HttpProducer(gateway.metadata(), gateway.leaders(), config.gateway().http());
        }
        return producer;
    }

    synchronized PartitionReader reader() {
        if (reader == null) {
            reader = new PartitionReader(gateway.metadata(), gateway.leaders(), Infrastructure.getDefaultWorkerPool());
        }
        return reader;
    }

    synchronized TopicAdmin admin() {
        if (admin == null) {
            admin = new TopicAdmin(gateway.metadata(), gateway.leaders(), gateway.throttles());
        }
        return admin;
    }

    synchronized GroupAdmin groups() {
        if (groups == null) {
            groups = new GroupAdmin(gateway.metadata(), gateway.leaders());
        }
        return groups;
    }

    /**
     * One of the gateway's stream slots for a live tail about to open; a 429 when none is free. Taken before anything
     * else is done for the tail (a WebSocket's upgrade), so a refused client costs nothing.
     */
    synchronized StreamSlots.Slot streamSlot() {
        if (streams == null) {
            streams = new StreamSlots(config.gateway().http().maxStreams(),
                    Runtime.getRuntime().maxMemory() / STREAM_HEAP_SHARE);
            Gauge.builder("sluice.http.streams.open", streams, StreamSlots::open)
                    .description("Live tails (SSE and WebSocket streams) open on this gateway").register(registry);
            handedOver = TopicTail.handedOver(registry);
        }
        return streams.take();
    }

    /** A live tail of the request's partitions to the output, in the slot it was given. */
    synchronized TopicTail tail(TailRequest request, TailOutput output, QuotaAccount quota, StreamSlots.Slot slot) {
        return new TopicTail(gateway.leaders(), Infrastructure.getDefaultWorkerPool(), request, output, handedOver,
                quota, slot);
    }
}
