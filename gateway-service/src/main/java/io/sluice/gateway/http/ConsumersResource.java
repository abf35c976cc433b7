package io.sluice.gateway.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.GatewayConfig;
import io.sluice.gateway.MemberSecurity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Strimzi HTTP Bridge's consumer API. An instance's state lives in the coordinator ({@link InstanceStore}), so
 * whichever gateway a request reaches serves it.
 */
@Path("/consumers/{group}")
@Produces({ EmbeddedFormat.BRIDGE_V2, MediaType.APPLICATION_JSON })
@Blocking
public class ConsumersResource {

    /** The most partitions or topics one request may name (as Kafka bounds partitions per request). */
    private static final int MAX_NAMED = 10_000;
    private static final int MAX_NAME_LENGTH = 200;
    private static final int MAX_PATTERN_LENGTH = 1000;

    /** The bridge's answer to a creation. */
    public record Created(@JsonProperty("instance_id") String instanceId, @JsonProperty("base_uri") String baseUri) {
    }

    @Inject
    MemberSecurity members;

    @Inject
    Gateway gateway;

    @Inject
    GatewayConfig config;

    @Inject
    HttpAccess access;

    private volatile InstanceStore store;
    private volatile InstancePoll poll;

    @POST
    @Consumes({ EmbeddedFormat.BRIDGE_V2, MediaType.APPLICATION_JSON })
    @Operation(summary = "Create a consumer instance (Strimzi HTTP Bridge)", description = "Body: name (generated if "
            + "left out), format (binary, json, text), auto.offset.reset, enable.auto.commit, fetch.min.bytes, "
            + "consumer.request.timeout.ms, isolation.level. 409 if the name is taken in the group or the group is in "
            + "use by Kafka consumers; 429 when the cluster's limit of instances is reached.")
    public CompletionStage<Response> create(@PathParam("group") String group, @Context UriInfo uri,
            @Context HttpServerRequest caller, byte[] body) {
        member(group);
        JsonNode json = object(body);
        Map<String, String> settings = ConsumerSettings.parse(json);
        JsonNode given = json.get("name");
        String name = given == null || given.isNull() ? "sluice-consumer-" + UUID.randomUUID() : given.asText();
        if (given != null && !given.isNull() && (!given.isTextual() || !name.matches("[A-Za-z0-9._-]{1,"
                + MAX_NAME_LENGTH + "}"))) {
            throw HttpError.unprocessable("name must be 1 to " + MAX_NAME_LENGTH + " letters, digits, '.', '_' or '-'");
        }
        String baseUri = uri.getBaseUriBuilder().path("consumers").path(group).path("instances").path(name).build()
                .toString();
        InstanceState.Instance instance = new InstanceState.Instance(group, name,
                settings.get(ConsumerSettings.FORMAT), settings, List.of(), null, List.of(), List.of(),
                "/" + caller.remoteAddress().hostAddress());
        return store().create(instance).thenApply(created -> bridgeJson(new Created(created.name(), baseUri),
                EmbeddedFormat.BRIDGE_V2));
    }

    @DELETE
    @Path("/instances/{name}")
    @Operation(summary = "Delete a consumer instance (Strimzi HTTP Bridge)")
    public CompletionStage<Response> delete(@PathParam("group") String group, @PathParam("name") String name) {
        member(group);
        return store().delete(group, name).thenApply(v -> Response.noContent().build());
    }

    @POST
    @Path("/instances/{name}/subscription")
    @Consumes({ EmbeddedFormat.BRIDGE_V2, MediaType.APPLICATION_JSON })
    @Operation(summary = "Subscribe to topics or a topic pattern (Strimzi HTTP Bridge)", description = "Body: "
            + "{\"topics\":[…]} or {\"topic_pattern\":\"…\"}. The group's instances share the subscribed partitions.")
    public CompletionStage<Response> subscribe(@PathParam("group") String group, @PathParam("name") String name,
            byte[] body) {
        member(group);
        JsonNode json = object(body);
        JsonNode topics = json.get("topics");
        JsonNode pattern = json.get("topic_pattern");
        if (topics != null && pattern != null) {
            throw new HttpError(409, "Subscriptions to topics, partitions, and patterns are mutually exclusive.");
        }
        if (pattern != null) {
            if (!pattern.isTextual() || pattern.textValue().isEmpty()
                    || pattern.textValue().length() > MAX_PATTERN_LENGTH) {
                throw HttpError.unprocessable("topic_pattern must be a regular expression of at most "
                        + MAX_PATTERN_LENGTH + " characters");
            }
            return store().subscribe(group, name, List.of(), pattern.textValue()).thenApply(v -> noContent());
        }
        List<String> names = new ArrayList<>();
        for (JsonNode topic : array(json, "topics")) {
            if (!topic.isTextual()) {
                throw HttpError.badRequest("topics must be topic names");
            }
            names.add(topic.textValue());
        }
        if (names.isEmpty()) {
            throw HttpError.unprocessable("name topics or a topic_pattern to subscribe to");
        }
        return store().subscribe(group, name, names.stream().distinct().toList(), null).thenApply(v -> noContent());
    }

    @GET
    @Path("/instances/{name}/subscription")
    @Operation(summary = "The subscription: topics, and the partitions this instance reads of them")
    public CompletionStage<Response> subscription(@PathParam("group") String group,
            @PathParam("name") String name) {
        member(group);
        return store().get(group, name).thenApply(state -> {
            Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
            state.partitions().forEach(p -> byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>())
                    .add(p.partition()));
            List<String> topics = state.instance().topicPattern() == null ? state.instance().topics()
                    : List.copyOf(byTopic.keySet());
            List<Map<String, List<Integer>>> partitions = byTopic.entrySet().stream()
                    .map(e -> Map.of(e.getKey(), e.getValue())).toList();
            return bridgeJson(Map.of("topics", topics, "partitions", partitions), EmbeddedFormat.BRIDGE_V2);
        });
    }

    @DELETE
    @Path("/instances/{name}/subscription")
    @Operation(summary = "Unsubscribe from every topic (Strimzi HTTP Bridge)")
    public CompletionStage<Response> unsubscribe(@PathParam("group") String group, @PathParam("name") String name) {
        member(group);
        return store().subscribe(group, name, List.of(), null).thenApply(v -> noContent());
    }

    @POST
    @Path("/instances/{name}/assignments")
    @Consumes({ EmbeddedFormat.BRIDGE_V2, MediaType.APPLICATION_JSON })
    @Operation(summary = "Assign partitions by hand (Strimzi HTTP Bridge)", description = "Body: "
            + "{\"partitions\":[{\"topic\":\"t\",\"partition\":0}]}; 409 while subscribed.")
    public CompletionStage<Response> assign(@PathParam("group") String group, @PathParam("name") String name,
            byte[] body) {
        member(group);
        List<InstanceState.Partition> partitions = partitions(object(body));
        return store().assign(group, name, partitions).thenApply(v -> noContent());
    }

    @GET
    @Path("/instances/{name}/assignments")
    @Operation(summary = "The partitions this instance reads (Strimzi HTTP Bridge)")
    public CompletionStage<Response> assignments(@PathParam("group") String group, @PathParam("name") String name) {
        member(group);
        return store().get(group, name).thenApply(state -> bridgeJson(Map.of("partitions", state.partitions().stream()
                .map(p -> new InstanceState.Partition(p.topic(), p.partition())).toList()), EmbeddedFormat.BRIDGE_V2));
    }

    @GET
    @Path("/instances/{name}/records")
    @Produces({ EmbeddedFormat.BINARY_V2, EmbeddedFormat.JSON_V2, EmbeddedFormat.TEXT_V2, EmbeddedFormat.BRIDGE_V2 })
    @Operation(summary = "Read records (Strimzi HTTP Bridge)", description = "Waits up to timeout ms for data, "
            + "returns at most max_bytes. Accept must name the instance's format (406 otherwise).")
    public CompletionStage<Response> records(@PathParam("group") String group, @PathParam("name") String name,
            @QueryParam("timeout") String timeout, @QueryParam("max_bytes") String maxBytes,
            @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        HttpCaller caller = member(group);
        GatewayConfig.Http limits = config.gateway().http();
        int wait = Params.intIn("timeout", timeout, ConsumerSettings.DEFAULT_WAIT_MS, 0, limits.maxWaitMs());
        int bytes = Params.intIn("max_bytes", maxBytes, limits.maxFetchBytes(), 1, limits.maxFetchBytes());
        return store().get(group, name).thenCompose(state -> {
            ConsumerSettings settings = ConsumerSettings.of(state.instance().settings());
            String type = mediaType(settings.format());
            if (!accepts(accept, type)) {
                throw new HttpError(406, "The `format` used in the consumer creation request does not match the "
                        + "embedded format in the Accept header of this request.");
            }
            state.partitions().forEach(p -> caller.reads(p.topic()));
            return poll().poll(state, settings, wait, bytes, caller.quota()).thenCompose(polled -> (polled.moved().isEmpty()
                    ? CompletableFuture.<Void> completedFuture(null)
                    : store().seek(group, name, polled.moved(), settings.autoCommit()))
                    .thenApply(v -> bridgeJson(polled.records(), type)));
        });
    }

    @POST
    @Path("/instances/{name}/offsets")
    // any content type: a commit of the positions has no body, and clients send it without one
    @Operation(summary = "Commit offsets (Strimzi HTTP Bridge)", description = "Body: {\"offsets\":[{\"topic\":\"t\","
            + "\"partition\":0,\"offset\":15}]}; without a body, the instance's positions. They are the group's "
            + "committed offsets, as a Kafka consumer's.")
    public CompletionStage<Response> commit(@PathParam("group") String group, @PathParam("name") String name,
            byte[] body) {
        HttpCaller caller = member(group);
        List<InstanceState.Position> offsets = body == null || body.length == 0 ? null : offsets(object(body));
        if (offsets != null) {
            caller.commits(group, offsets.stream().map(InstanceState.Position::topic).distinct().toList());
        }
        return store().commit(group, name, offsets).thenApply(v -> noContent());
    }

    @POST
    @Path("/instances/{name}/positions")
    @Consumes({ EmbeddedFormat.BRIDGE_V2, MediaType.APPLICATION_JSON })
    @Operation(summary = "Seek to offsets (Strimzi HTTP Bridge)", description = "Body: {\"offsets\":[{\"topic\":"
            + "\"t\",\"partition\":0,\"offset\":15}]}; a partition must be one the instance reads (404 otherwise).")
    public CompletionStage<Response> seek(@PathParam("group") String group, @PathParam("name") String name,
            byte[] body) {
        member(group);
        return store().seek(group, name, offsets(object(body)), false).thenApply(v -> noContent());
    }

    @POST
    @Path("/instances/{name}/positions/beginning")
    @Consumes({ EmbeddedFormat.BRIDGE_V2, MediaType.APPLICATION_JSON })
    @Operation(summary = "Seek to the first offsets (Strimzi HTTP Bridge)")
    public CompletionStage<Response> seekToBeginning(@PathParam("group") String group, @PathParam("name") String name,
            byte[] body) {
        return seekToEnd(group, name, body, InstanceState.EARLIEST);
    }

    @POST
    @Path("/instances/{name}/positions/end")
    @Consumes({ EmbeddedFormat.BRIDGE_V2, MediaType.APPLICATION_JSON })
    @Operation(summary = "Seek to the ends of the logs (Strimzi HTTP Bridge)")
    public CompletionStage<Response> seekToEnd(@PathParam("group") String group, @PathParam("name") String name,
            byte[] body) {
        return seekToEnd(group, name, body, InstanceState.LATEST);
    }

    /** The end is resolved at the next read, as Kafka's seekToBeginning and seekToEnd are evaluated lazily. */
    private CompletionStage<Response> seekToEnd(String group, String name, byte[] body, long end) {
        member(group);
        List<InstanceState.Position> positions = partitions(object(body)).stream()
                .map(p -> new InstanceState.Position(p.topic(), p.partition(), end)).toList();
        return store().seek(group, name, positions, false).thenApply(v -> noContent());
    }

    /** The caller, who must be allowed to consume in the group, as a Kafka consumer joining it. */
    private HttpCaller member(String group) {
        HttpCaller caller = access.caller();
        caller.consumesIn(group);
        return caller;
    }

    /** Written by hand: the JAX-RS Jackson writer does not take the bridge's media types. */
    private static Response bridgeJson(Object body, String type) {
        try {
            return Response.ok(EmbeddedFormat.MAPPER.writeValueAsBytes(body), type).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response noContent() {
        return Response.noContent().build();
    }

    private static String mediaType(EmbeddedFormat format) {
        return switch (format) {
            case BINARY -> EmbeddedFormat.BINARY_V2;
            case JSON -> EmbeddedFormat.JSON_V2;
            case TEXT -> EmbeddedFormat.TEXT_V2;
        };
    }

    /** Whether the Accept header takes the type; none, or any type, does. */
    private static boolean accepts(String accept, String type) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String media = range.split(";", 2)[0].trim().toLowerCase();
            if (media.equals(type) || media.equals("*/*")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode object(byte[] body) {
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : EmbeddedFormat.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw HttpError.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json == null || !json.isObject()) {
            throw HttpError.unprocessable("the body must be a JSON object");
        }
        return json;
    }

    private static JsonNode array(JsonNode body, String field) {
        JsonNode array = body.get(field);
        if (array == null || !array.isArray()) {
            throw HttpError.badRequest(field + " must be an array");
        }
        if (array.size() > MAX_NAMED) {
            throw HttpError.unprocessable(field + " may name at most " + MAX_NAMED + " entries");
        }
        return array;
    }

    private static List<InstanceState.Partition> partitions(JsonNode body) {
        List<InstanceState.Partition> partitions = new ArrayList<>();
        for (JsonNode p : array(body, "partitions")) {
            partitions.add(new InstanceState.Partition(text(p, "topic"), (int) whole(p, "partition", Integer.MAX_VALUE)));
        }
        return partitions;
    }

    private static List<InstanceState.Position> offsets(JsonNode body) {
        List<InstanceState.Position> offsets = new ArrayList<>();
        for (JsonNode p : array(body, "offsets")) {
            offsets.add(new InstanceState.Position(text(p, "topic"), (int) whole(p, "partition", Integer.MAX_VALUE),
                    whole(p, "offset", Long.MAX_VALUE)));
        }
        return offsets;
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual()) {
            throw HttpError.badRequest(field + " must be a name in every entry");
        }
        return value.textValue();
    }

    private static long whole(JsonNode entry, String field, long max) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isIntegralNumber()) {
            throw HttpError.badRequest(field + " must be a whole number in every entry");
        }
        if (value.longValue() < 0 || value.longValue() > max) {
            throw HttpError.unprocessable(field + " must be from 0 to " + max + " in every entry");
        }
        return value.longValue();
    }

    private InstanceStore store() {
        if (store == null) {
            store = new InstanceStore(config.coordinator().httpBootstrap(), members);
        }
        return store;
    }

    private InstancePoll poll() {
        if (poll == null) {
            poll = new InstancePoll(gateway.leaders(), Infrastructure.getDefaultWorkerPool(),
                    config.gateway().http().maxRecords());
        }
        return poll;
    }
}
