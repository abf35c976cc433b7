package io.sluice.gateway.http;

import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.sluice.gateway.Gateway;
import io.sluice.protocol.metadata.ClusterView.TopicView;

/** Read-only topic information over HTTP, from the gateway's metadata view. */
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
            throw new NotFoundException("topic " + name + " does not exist");
        }
        return topic(topic);
    }

    private static Topic topic(TopicView t) {
        return new Topic(t.name(), t.id().toString(), t.partitions().size(), t.replicationFactor(),
                t.partitions().stream()
                        .map(p -> new Partition(p.partition(), p.leader(), p.leaderEpoch(), p.replicas(), p.isr()))
                        .toList());
    }
}
