package io.sluice.gateway.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.metadata.ClusterView.PartitionView;
import io.sluice.protocol.metadata.ClusterView.TopicView;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Confluent REST Proxy v3's cluster, topic, partition, config and produce paths, over the same topic admin and
 * producer as the bridge paths. Errors carry Confluent's body, {@code {"error_code":…,"message":…}}.
 */
@Path("/v3/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Confluent REST v3", description = "Clusters, topics, partitions, configs and produce as Confluent REST "
        + "Proxy v3 has them")
public class ConfluentV3Resource {

    @Inject
    Gateway gateway;

    @Inject
    HttpServices services;

    @Inject
    HttpAccess access;

    @Context
    UriInfo uri;

    @GET
    @Operation(summary = "List clusters (Confluent v3): this one")
    public V3Bodies.Collection<V3Bodies.Cluster> clusters() {
        String self = base() + "v3/clusters";
        return new V3Bodies.Collection<>("KafkaClusterList", new V3Bodies.CollectionMetadata(self),
                List.of(cluster(clusterId(), base())));
    }

    @GET
    @Path("/{cluster_id}")
    @Operation(summary = "Get the cluster (Confluent v3)")
    public V3Bodies.Cluster cluster(@PathParam("cluster_id") String clusterId) {
        checkCluster(clusterId);
        return cluster(clusterId, base());
    }

    @GET
    @Path("/{cluster_id}/topics")
    @Operation(summary = "List topics (Confluent v3)")
    public V3Bodies.Collection<V3Bodies.Topic> topics(@PathParam("cluster_id") String clusterId) {
        checkCluster(clusterId);
        String base = base();
        Predicate<String> listed = access.caller().listedTopics();
        List<V3Bodies.Topic> topics = gateway.metadata().current().topics().values().stream()
                .filter(t -> listed.test(t.name()))
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .map(t -> topic(base, clusterId, t.name(), t.replicationFactor(), t.partitions().size()))
                .toList();
        return new V3Bodies.Collection<>("KafkaTopicList",
                new V3Bodies.CollectionMetadata(clusterUrl(base, clusterId) + "/topics"), topics);
    }

    @POST
    @Path("/{cluster_id}/topics")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Create a topic (Confluent v3)", description = "{\"topic_name\":\"orders\","
            + "\"partitions_count\":3,\"replication_factor\":3,\"configs\":[{\"name\":\"retention.ms\",\"value\":"
            + "\"86400000\"}]}; 201, or 200 with validate_only. 409 if it exists.")
    public CompletionStage<Response> createTopic(@PathParam("cluster_id") String clusterId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "orders", value = "{\"topic_name\":\"orders\",\"partitions_count\":3,\"replication_factor\":3,\"configs\":[{\"name\":\"retention.ms\",\"value\":\"86400000\"}]}"))) byte[] body) {
        checkCluster(clusterId);
        V3Bodies.CreateTopic create = read(body, V3Bodies.CreateTopic.class);
        Map<String, String> configs = new LinkedHashMap<>();
        if (create.configs() != null) {
            create.configs().forEach(c -> {
                if (c == null || c.name() == null) {
                    throw HttpError.unprocessable("a config needs a name");
                }
                configs.put(c.name(), c.value());
            });
        }
        NewTopic topic = new NewTopic(create.topicName(), create.partitionsCount(), create.replicationFactor(),
                configs);
        TopicAdmin.check(topic);
        HttpCaller caller = access.caller();
        caller.createsTopic(topic.name());
        boolean validateOnly = Boolean.TRUE.equals(create.validateOnly());
        String base = base();
        return services.admin().create(topic, validateOnly, caller.quota()).thenApply(created -> Response
                .status(validateOnly ? Response.Status.OK : Response.Status.CREATED)
                .entity(topic(base, clusterId, created.name(), created.replicationFactor(), created.partitions()))
                .build());
    }

    @GET
    @Path("/{cluster_id}/topics/{topic_name}")
    @Operation(summary = "Get a topic (Confluent v3)")
    public CompletionStage<V3Bodies.Topic> topic(@PathParam("cluster_id") String clusterId,
            @PathParam("topic_name") String topicName) {
        checkCluster(clusterId);
        access.caller().describes(topicName);
        String base = base();
        return Topics.find(gateway.metadata(), topicName).thenApply(t -> topic(base, clusterId, t.name(),
                t.replicationFactor(), t.partitions().size()));
    }

    @DELETE
    @Path("/{cluster_id}/topics/{topic_name}")
    @Operation(summary = "Delete a topic (Confluent v3)")
    public CompletionStage<Response> deleteTopic(@PathParam("cluster_id") String clusterId,
            @PathParam("topic_name") String topicName) {
        checkCluster(clusterId);
        HttpCaller caller = access.caller();
        caller.deletesTopic(topicName);
        return services.admin().delete(topicName, caller.quota()).thenApply(nothing -> Response.noContent().build());
    }

    @GET
    @Path("/{cluster_id}/topics/{topic_name}/partitions")
    @Operation(summary = "List a topic's partitions (Confluent v3)")
    public CompletionStage<V3Bodies.Collection<V3Bodies.Partition>> partitions(
            @PathParam("cluster_id") String clusterId, @PathParam("topic_name") String topicName) {
        checkCluster(clusterId);
        access.caller().describes(topicName);
        String base = base();
        return Topics.find(gateway.metadata(), topicName).thenApply(t -> new V3Bodies.Collection<>(
                "KafkaPartitionList",
                new V3Bodies.CollectionMetadata(topicUrl(base, clusterId, t.name()) + "/partitions"),
                t.partitions().stream().map(p -> partition(base, clusterId, t.name(), p)).toList()));
    }

    @GET
    @Path("/{cluster_id}/topics/{topic_name}/partitions/{partition_id}")
    @Operation(summary = "Get a partition (Confluent v3)")
    public CompletionStage<V3Bodies.Partition> partition(@PathParam("cluster_id") String clusterId,
            @PathParam("topic_name") String topicName, @PathParam("partition_id") String partitionId) {
        checkCluster(clusterId);
        access.caller().describes(topicName);
        int p = Params.intIn("partition_id", partitionId, 0, 0, Integer.MAX_VALUE);
        String base = base();
        return Topics.find(gateway.metadata(), topicName).thenApply(t -> {
            PartitionReader.checkPartition(t, p);
            return partition(base, clusterId, t.name(), t.partition(p));
        });
    }

    @GET
    @Path("/{cluster_id}/topics/{topic_name}/configs")
    @Operation(summary = "List a topic's configs (Confluent v3)")
    public CompletionStage<V3Bodies.Collection<V3Bodies.TopicConfig>> configs(
            @PathParam("cluster_id") String clusterId, @PathParam("topic_name") String topicName) {
        checkCluster(clusterId);
        access.caller().describesConfigs(topicName);
        String topicUrl = topicUrl(base(), clusterId, topicName);
        return services.admin().configEntries(topicName).thenApply(entries -> new V3Bodies.Collection<>(
                "KafkaTopicConfigList", new V3Bodies.CollectionMetadata(topicUrl + "/configs"),
                entries.stream().map(c -> {
                    String source = c.source().equals("TOPIC_CONFIG") ? "DYNAMIC_TOPIC_CONFIG" : c.source();
                    return new V3Bodies.TopicConfig("KafkaTopicConfig",
                            new V3Bodies.Metadata(topicUrl + "/configs/" + c.name(),
                                    "crn:///kafka=" + clusterId + "/topic=" + topicName + "/config=" + c.name()),
                            clusterId, topicName, c.name(), c.value(), c.isDefault(), c.readOnly(), c.sensitive(),
                            source, List.of(new V3Bodies.Synonym(c.name(), c.value(), source)));
                }).toList()));
    }

    @POST
    @Path("/{cluster_id}/topics/{topic_name}/configs:alter")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Set or delete a topic's configs together (Confluent v3)", description = "{\"data\":["
            + "{\"name\":\"retention.ms\",\"value\":\"3600000\"},{\"name\":\"cleanup.policy\",\"operation\":"
            + "\"DELETE\"}]}: 204.")
    public CompletionStage<Response> alterConfigs(@PathParam("cluster_id") String clusterId,
            @PathParam("topic_name") String topicName,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "set and delete", value = "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"3600000\"},{\"name\":\"cleanup.policy\",\"operation\":\"DELETE\"}]}"))) byte[] body) {
        checkCluster(clusterId);
        access.caller().altersConfigs(topicName);
        V3Bodies.AlterConfigs alter = read(body, V3Bodies.AlterConfigs.class);
        if (alter.data() == null || alter.data().isEmpty()) {
            throw HttpError.unprocessable("data must list the configs to change");
        }
        List<TopicAdmin.ConfigChange> changes = new ArrayList<>(alter.data().size());
        for (V3Bodies.ConfigOperation op : alter.data()) {
            if (op == null || op.name() == null) {
                throw HttpError.unprocessable("a config needs a name");
            }
            String operation = op.operation() == null ? "SET" : op.operation();
            switch (operation) {
                case "SET" -> {
                    if (op.value() == null) {
                        throw HttpError.unprocessable("config " + op.name() + " needs a value to be set");
                    }
                    changes.add(new TopicAdmin.ConfigChange(op.name(), op.value()));
                }
                case "DELETE" -> changes.add(new TopicAdmin.ConfigChange(op.name(), null));
                default -> throw HttpError.unprocessable("operation must be SET or DELETE, not '" + operation + "'");
            }
        }
        return services.admin().alterConfigs(topicName, changes, Boolean.TRUE.equals(alter.validateOnly()))
                .thenApply(nothing -> Response.noContent().build());
    }

    @POST
    @Path("/{cluster_id}/topics/{topic_name}/records")
    @Consumes(MediaType.APPLICATION_JSON)
    @NonBlocking
    @Operation(summary = "Produce records (Confluent v3)", description = "One record, {\"key\":{\"type\":\"STRING\","
            + "\"data\":\"k\"},\"value\":{\"type\":\"JSON\",\"data\":{\"total\":12}},\"headers\":[{\"name\":\"trace\","
            + "\"value\":\"dC0x\"}],\"partition_id\":0,\"timestamp\":\"2026-12-02T18:00:00Z\"}, or several one after "
            + "another (concatenated JSON); one delivery report each, in order, with error_code 200 or the record's "
            + "error (a single record's error is also the response's status). Stored on every replica (acks=all). "
            + "With Transfer-Encoding: chunked, Confluent's streaming mode: 200 at once, then each record's report "
            + "as it is stored, for as long as the request stays open.")
    public CompletionStage<Response> produce(@PathParam("cluster_id") String clusterId,
            @PathParam("topic_name") String topicName,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one record", value = "{\"partition_id\":0,\"headers\":[{\"name\":\"trace\",\"value\":\"dC0x\"}],\"key\":{\"type\":\"STRING\",\"data\":\"customer-7\"},\"value\":{\"type\":\"JSON\",\"data\":{\"total\":12.5}},\"timestamp\":\"2026-12-02T18:00:00Z\"}"))) byte[] body) {
        checkCluster(clusterId);
        HttpCaller caller = access.caller();
        caller.produces(topicName);
        return HttpServices.onWorker(() -> produce(clusterId, topicName, body, caller));
    }

    private CompletableFuture<Response> produce(String clusterId, String topicName, byte[] body, HttpCaller caller) {
        HttpProducer producer = services.producer();
        List<JsonNode> given = V3Records.split(body, producer.maxRecords());
        TopicView topic = Topics.find(gateway.metadata(), topicName).join();
        return V3Records.produce(producer, clusterId, topic, given, caller.quota()).thenApply(reports -> {
            StringBuilder joined = new StringBuilder();
            reports.forEach(report -> joined.append(joined.isEmpty() ? "" : "\n").append(TopicSocket.json(report)));
            // A lone record's status is its report's.
            int status = reports.size() == 1 ? reports.get(0).errorCode() : 200;
            return Response.status(status).type(MediaType.APPLICATION_JSON).entity(joined.toString()).build();
        });
    }

    private static <T> T read(byte[] body, Class<T> type) {
        T read;
        try {
            read = EmbeddedFormat.MAPPER.readValue(body, type);
        } catch (StreamReadException e) {
            throw HttpError.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
            throw HttpError.unprocessable((field.isEmpty() ? "the body" : field) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("the body cannot be read");
        }
        if (read == null) {
            throw HttpError.unprocessable("the body is empty");
        }
        return read;
    }

    private String clusterId() {
        return gateway.metadata().current().clusterId();
    }

    private void checkCluster(String clusterId) {
        checkCluster(gateway.metadata(), clusterId);
    }

    /** A 404 unless {@code clusterId} is this cluster's. */
    static void checkCluster(MetadataView metadata, String clusterId) {
        String cluster = metadata.current().clusterId();
        if (!clusterId.equals(cluster)) {
            throw HttpError.notFound("cluster " + clusterId + " does not exist (this one is " + cluster + ")");
        }
    }

    /** The gateway's address as the client used it, ending in a slash. */
    private String base() {
        return uri.getBaseUri().toString();
    }

    private static String clusterUrl(String base, String clusterId) {
        return base + "v3/clusters/" + clusterId;
    }

    private static String topicUrl(String base, String clusterId, String topic) {
        return clusterUrl(base, clusterId) + "/topics/" + topic;
    }

    private static V3Bodies.Related related(String url) {
        return new V3Bodies.Related(url);
    }

    private static V3Bodies.Cluster cluster(String clusterId, String base) {
        String url = clusterUrl(base, clusterId);
        return new V3Bodies.Cluster("KafkaCluster", new V3Bodies.Metadata(url, "crn:///kafka=" + clusterId),
                clusterId, null, related(url + "/acls"), related(url + "/brokers"), related(url + "/broker-configs"),
                related(url + "/consumer-groups"), related(url + "/topics"),
                related(url + "/topics/-/partitions/-/reassignment"));
    }

    private static V3Bodies.Topic topic(String base, String clusterId, String name, int replicationFactor,
            int partitions) {
        String url = topicUrl(base, clusterId, name);
        return new V3Bodies.Topic("KafkaTopic", new V3Bodies.Metadata(url, "crn:///kafka=" + clusterId + "/topic="
                + name), clusterId, name, false, replicationFactor, partitions, related(url + "/partitions"),
                related(url + "/configs"), related(url + "/partitions/-/reassignment"));
    }

    private static V3Bodies.Partition partition(String base, String clusterId, String topic, PartitionView p) {
        String url = topicUrl(base, clusterId, topic) + "/partitions/" + p.partition();
        return new V3Bodies.Partition("KafkaPartition", new V3Bodies.Metadata(url, "crn:///kafka=" + clusterId
                + "/topic=" + topic + "/partition=" + p.partition()), clusterId, topic, p.partition(),
                p.leader() < 0 ? null : related(url + "/replicas/" + p.leader()), related(url + "/replicas"),
                related(url + "/reassignment"));
    }
}
