package io.sluice.gateway.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.GatewayConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

/**
 * Topics over HTTP: list, create, describe, reconfigure and delete them, produce to them (the Strimzi HTTP Bridge's
 * paths and bodies) and read a partition by offset.
 */
@Path("/topics")
@Produces(MediaType.APPLICATION_JSON)
public class TopicsResource {

    @Inject
    Gateway gateway;

    @Inject
    GatewayConfig config;

    @Inject
    HttpServices services;

    @Inject
    HttpAccess access;

    @GET
    @Operation(summary = "List topic names (Strimzi HTTP Bridge)")
    public List<String> list() {
        return gateway.metadata().current().topics().keySet().stream().filter(access.caller().listedTopics())
                .sorted().toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Create a topic", description = "Body: {\"name\":\"orders\",\"partitions\":3,"
            + "\"replicationFactor\":3,\"configs\":{\"retention.ms\":\"86400000\"}}; partitions and "
            + "replicationFactor left out take the cluster's defaults. 409 if the topic exists.")
    public CompletionStage<Response> create(
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "orders", value = "{\"name\":\"orders\",\"partitions\":3,\"replicationFactor\":3,\"configs\":{\"retention.ms\":\"86400000\"}}"))) byte[] body) {
        // A relative Location, set by hand: resolving it against the request needs the request's context, which a
        // callback from the coordinator's connection does not run in.
        NewTopic topic = TopicAdmin.newTopic(body);
        HttpCaller caller = access.caller();
        caller.createsTopic(topic.name());
        return services.admin().create(topic, false, caller.quota())
                .thenApply(created -> Response.status(Response.Status.CREATED)
                        .header(HttpHeaders.LOCATION, "/topics/" + URLEncoder.encode(created.name(), StandardCharsets.UTF_8))
                        .entity(created)
                        .build());
    }

    @GET
    @Path("/{topic}")
    @Operation(summary = "Describe a topic: partitions, leaders, replicas, offsets, configs (Strimzi HTTP Bridge)")
    public CompletionStage<TopicDescription> describe(@PathParam("topic") String topic) {
        HttpCaller caller = access.caller();
        caller.describes(topic);
        caller.describesConfigs(topic);
        return services.admin().describe(topic);
    }

    @DELETE
    @Path("/{topic}")
    @Operation(summary = "Delete a topic")
    public CompletionStage<Response> delete(@PathParam("topic") String topic) {
        HttpCaller caller = access.caller();
        caller.deletesTopic(topic);
        return services.admin().delete(topic, caller.quota()).thenApply(nothing -> Response.noContent().build());
    }

    @PATCH
    @Path("/{topic}/configs")
    @Consumes({ MediaType.APPLICATION_JSON, "application/merge-patch+json" })
    @Blocking
    @Operation(summary = "Change a topic's configs", description = "A JSON merge patch: {\"retention.ms\":"
            + "\"3600000\",\"cleanup.policy\":null} sets retention.ms and puts cleanup.policy back to its default.")
    public CompletionStage<Response> alterConfigs(@PathParam("topic") String topic,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "retention", value = "{\"retention.ms\":\"3600000\",\"cleanup.policy\":null}"))) byte[] body) {
        access.caller().altersConfigs(topic);
        return services.admin().alterConfigs(topic, body).thenApply(nothing -> Response.noContent().build());
    }

    @GET
    @Path("/{topic}/partitions")
    @Operation(summary = "Describe a topic's partitions (Strimzi HTTP Bridge)")
    public CompletionStage<List<TopicDescription.PartitionDescription>> partitions(@PathParam("topic") String topic) {
        access.caller().describes(topic);
        return services.admin().describe(topic).thenApply(TopicDescription::partitions);
    }

    @GET
    @Path("/{topic}/partitions/{partition}")
    @Operation(summary = "Describe a partition (Strimzi HTTP Bridge)")
    public CompletionStage<TopicDescription.PartitionDescription> partition(@PathParam("topic") String topic,
            @PathParam("partition") String partition) {
        access.caller().describes(topic);
        int p = Params.intIn("partition", partition, 0, 0, Integer.MAX_VALUE);
        return services.admin().describe(topic).thenApply(described -> described.partitions().stream()
                .filter(d -> d.partition() == p)
                .findFirst()
                .orElseThrow(() -> HttpError.notFound("partition " + p + " of topic " + topic + " does not exist (it "
                        + "has " + described.partitions().size() + ")")));
    }

    @GET
    @Path("/{topic}/partitions/{partition}/offsets")
    @Operation(summary = "A partition's first and next offsets (Strimzi HTTP Bridge)")
    public CompletionStage<TopicDescription.Offsets> offsets(@PathParam("topic") String topic,
            @PathParam("partition") String partition) {
        access.caller().describes(topic);
        return services.admin().offsets(topic, Params.intIn("partition", partition, 0, 0, Integer.MAX_VALUE));
    }

    @POST
    @Path("/{topic}")
    @Consumes({ EmbeddedFormat.JSON_V2, EmbeddedFormat.BINARY_V2, EmbeddedFormat.TEXT_V2, MediaType.APPLICATION_JSON })
    @Produces(EmbeddedFormat.BRIDGE_V2)
    @NonBlocking
    @Operation(summary = "Produce records (Strimzi HTTP Bridge)", description = "Keyed records go to the partition "
            + "Kafka's default partitioner picks, unkeyed ones of one request to one partition; acknowledged once "
            + "stored on every replica (acks=all).")
    public CompletionStage<Response> produce(@PathParam("topic") String topic,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestBody(content = @Content(mediaType = EmbeddedFormat.TEXT_V2, examples = @ExampleObject(name = "text", value = "{\"records\":[{\"key\":\"customer-7\",\"value\":\"hello\",\"headers\":[{\"key\":\"trace\",\"value\":\"dC0x\"}]},{\"value\":\"to partition 2\",\"partition\":2}]}"))) byte[] body) {
        HttpCaller caller = access.caller();
        caller.produces(topic);
        EmbeddedFormat format = EmbeddedFormat.ofContentType(contentType);
        return HttpServices.onWorker(() -> services.producer().produce(topic, null, format, body, caller.quota()))
                .thenApply(TopicsResource::bridgeAnswer);
    }

    @POST
    @Path("/{topic}/partitions/{partition}")
    @Consumes({ EmbeddedFormat.JSON_V2, EmbeddedFormat.BINARY_V2, EmbeddedFormat.TEXT_V2, MediaType.APPLICATION_JSON })
    @Produces(EmbeddedFormat.BRIDGE_V2)
    @NonBlocking
    @Operation(summary = "Produce records to one partition (Strimzi HTTP Bridge)")
    public CompletionStage<Response> produceToPartition(@PathParam("topic") String topic,
            @PathParam("partition") String partition, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @RequestBody(content = @Content(mediaType = EmbeddedFormat.JSON_V2, examples = @ExampleObject(name = "json", value = "{\"records\":[{\"key\":{\"id\":7},\"value\":{\"total\":12.5}}]}"))) byte[] body) {
        HttpCaller caller = access.caller();
        caller.produces(topic);
        int p = Params.intIn("partition", partition, 0, 0, Integer.MAX_VALUE);
        EmbeddedFormat format = EmbeddedFormat.ofContentType(contentType);
        return HttpServices.onWorker(() -> services.producer().produce(topic, p, format, body, caller.quota()))
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
        HttpCaller caller = access.caller();
        caller.reads(topic);
        GatewayConfig.Http limits = config.gateway().http();
        PartitionReader.Ask ask = new PartitionReader.Ask(topic,
                Params.intIn("partition", partition, 0, 0, Integer.MAX_VALUE),
                Params.required("offset", offset, 0, Long.MAX_VALUE),
                Params.intIn("max", max, 500, 1, limits.maxRecords()),
                Params.intIn("maxBytes", maxBytes, Math.min(1 << 20, limits.maxFetchBytes()), 1,
                        limits.maxFetchBytes()),
                Params.intIn("wait", wait, 0, 0, limits.maxWaitMs()),
                format == null ? EmbeddedFormat.BINARY : EmbeddedFormat.ofName(format));
        return services.reader().read(ask, caller.quota());
    }

    @GET
    @Path("/{topic}/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Live tail as Server-Sent Events", description = "One event per record, its data the record "
            + "as JSON (topic, partition, offset, timestamp, key, value, headers), its id every partition's next "
            + "offset (0:13,1:7): reconnecting with it as Last-Event-ID goes on exactly after it. from: earliest, "
            + "latest (default) or an offset; partition: one partition only; format: binary (default), text, json. "
            + "429 when the gateway's limit of open streams is reached.")
    public void stream(@PathParam("topic") String topic,
            @QueryParam("from") String from,
            @QueryParam("partition") String partition,
            @QueryParam("format") String format,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Context SseEventSink sink,
            @Context Sse sse) {
        HttpCaller caller = access.caller();
        caller.reads(topic);
        TailRequest request = TailRequest.of(Topics.find(gateway.metadata(), topic).join(), from, partition, format,
                lastEventId);
        StreamSlots.Slot slot = services.streamSlot();
        services.tail(request, new SseTailOutput(sink, sse), caller.quota(), slot).start();
    }

    private static Response bridgeAnswer(ProduceAnswer answer) {
        try {
            return Response.ok(EmbeddedFormat.MAPPER.writeValueAsBytes(answer), EmbeddedFormat.BRIDGE_V2).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
