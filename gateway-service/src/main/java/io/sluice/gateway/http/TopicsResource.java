package io.sluice.gateway.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.GatewayConfig;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Topics over HTTP: the list and each topic from the gateway's metadata view, produce (the Strimzi HTTP Bridge's
 * paths and bodies) and reads of a partition by offset.
 */
@Path("/topics")
@Produces(MediaType.APPLICATION_JSON)
public class TopicsResource {

    /** A topic as HTTP clients see it. */
    public record Topic(String name, String id, int partitions, int replicationFactor, List<Partition> leaders) {
    }

    /** A partition, its leader broker and epoch, its replicas and in-sync replicas. */
    public record Partition(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {
    }

    @Inject
    Gateway gateway;

    @Inject
    GatewayConfig config;

    private volatile HttpProducer producer;
    private volatile PartitionReader reader;

    @GET
    @Operation(summary = "List topics")
    public List<Topic> list() {
        return gateway.metadata().current().topics().values().stream()
                .sorted(Comparator.comparing(TopicView::name))
                .map(TopicsResource::topic)
                .toList();
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Describe one topic")
    public Topic describe(@PathParam("name") String name) {
        TopicView topic = gateway.metadata().current().topic(name);
        if (topic == null) {
            throw HttpError.notFound("topic " + name + " does not exist");
        }
        return topic(topic);
    }

    @POST
    @Path("/{topic}")
    @Consumes({ EmbeddedFormat.JSON_V2, EmbeddedFormat.BINARY_V2, EmbeddedFormat.TEXT_V2, MediaType.APPLICATION_JSON })
    @Produces(EmbeddedFormat.BRIDGE_V2)
    @Blocking
    @Operation(summary = "Produce records (Strimzi HTTP Bridge)", description = "Keyed records go to the partition "
            + "Kafka's default partitioner picks, unkeyed ones of one request to one partition; acknowledged once "
            + "stored on every replica (acks=all).")
    public CompletionStage<Response> produce(@PathParam("topic") String topic,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return producer().produce(topic, null, EmbeddedFormat.ofContentType(contentType), body)
                .thenApply(TopicsResource::bridgeAnswer);
    }

    @POST
    @Path("/{topic}/partitions/{partition}")
    @Consumes({ EmbeddedFormat.JSON_V2, EmbeddedFormat.BINARY_V2, EmbeddedFormat.TEXT_V2, MediaType.APPLICATION_JSON })
    @Produces(EmbeddedFormat.BRIDGE_V2)
    @Blocking
    @Operation(summary = "Produce records to one partition (Strimzi HTTP Bridge)")
    public CompletionStage<Response> produceToPartition(@PathParam("topic") String topic,
            @PathParam("partition") String partition, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        int p = Params.intIn("partition", partition, 0, 0, Integer.MAX_VALUE);
        return producer().produce(topic, p, EmbeddedFormat.ofContentType(contentType), body)
                .thenApply(TopicsResource::bridgeAnswer);
    }

    @GET
    @Path("/{topic}/partitions/{partition}/records")
    @Operation(summary = "Read a partition from an offset", description = "Waits up to wait ms for the first record. "
            + "nextOffset is the offset to ask for next.")
    public CompletionStage<PartitionRead> read(@PathParam("topic") String topic,
            @PathParam("partition") String partition,
            @QueryParam("offset") String offset,
            @QueryParam("max") String max,
            @QueryParam("maxBytes") String maxBytes,
            @QueryParam("wait") String wait,
            @QueryParam("format") String format) {
        GatewayConfig.Http limits = config.gateway().http();
        PartitionReader.Ask ask = new PartitionReader.Ask(topic,
                Params.intIn("partition", partition, 0, 0, Integer.MAX_VALUE),
                Params.required("offset", offset, 0, Long.MAX_VALUE),
                Params.intIn("max", max, 500, 1, limits.maxRecords()),
                Params.intIn("maxBytes", maxBytes, Math.min(1 << 20, limits.maxFetchBytes()), 1,
                        limits.maxFetchBytes()),
                Params.intIn("wait", wait, 0, 0, limits.maxWaitMs()),
                format == null ? EmbeddedFormat.BINARY : EmbeddedFormat.ofName(format));
        return reader().read(ask);
    }

    private static Response bridgeAnswer(ProduceAnswer answer) {
        try {
            return Response.ok(EmbeddedFormat.MAPPER.writeValueAsBytes(answer), EmbeddedFormat.BRIDGE_V2).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpProducer producer() {
        if (producer == null) {
            producer = new HttpProducer(gateway.metadata(), gateway.leaders(), config.gateway().http());
        }
        return producer;
    }

    private PartitionReader reader() {
        if (reader == null) {
            reader = new PartitionReader(gateway.metadata(), gateway.leaders(), Infrastructure.getDefaultWorkerPool());
        }
        return reader;
    }

    private static Topic topic(TopicView t) {
        return new Topic(t.name(), t.id().toString(), t.partitions().size(), t.replicationFactor(),
                t.partitions().stream()
                        .map(p -> new Partition(p.partition(), p.leader(), p.leaderEpoch(), p.replicas(), p.isr()))
                        .toList());
    }
}
