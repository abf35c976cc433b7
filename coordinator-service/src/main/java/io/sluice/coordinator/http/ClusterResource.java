package io.sluice.coordinator.http;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.sluice.coordinator.Coordinator;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.metadata.PartitionRecord;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.protocol.contract.CoordinatorContract;

/** The cluster as the coordinator sees it: brokers with liveness, topics with real leaders and epochs. */
@Path(CoordinatorContract.CLUSTER_PATH)
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    public record Cluster(String clusterId, List<Broker> brokers, List<Topic> topics) {
    }

    public record Broker(int id, String host, int port, boolean alive, String incarnation) {
    }

    public record Topic(String name, String id, List<Partition> partitions) {
    }

    public record Partition(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {
    }

    @Inject
    Coordinator coordinator;

    /**
     * The cluster as the active coordinator serves it; a standby (or an active replica cut off from the others)
     * answers 503, names the active replica and says why its own state is not current, if it is not.
     */
    @GET
    public Response cluster() {
        Optional<ClusterState> served = coordinator.state();
        if (served.isEmpty()) {
            List<String> replicas = coordinator.replicas();
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(Map.of("error", coordinator.whyNotServing(), "replicas", replicas,
                            "state", coordinator.stateNotCurrent().orElse("current")))
                    .build();
        }
        ClusterState state = served.get();
        List<Broker> brokers = state.brokers().stream()
                .map(b -> new Broker(b.id(), b.host(), b.port(), state.liveBrokers().contains(b.id()), b.incarnation()))
                .toList();
        List<Topic> topics = state.topics().stream()
                .sorted(Comparator.comparing(TopicRecord::name))
                .map(t -> new Topic(t.name(), t.id(), t.partitions().stream()
                        .map(p -> partition(p, state))
                        .toList()))
                .toList();
        return Response.ok(new Cluster(state.clusterId(), brokers, topics)).build();
    }

    private static Partition partition(PartitionRecord p, ClusterState state) {
        return new Partition(p.partition(), p.leader(), p.leaderEpoch(), p.replicas(),
                p.replicas().stream().filter(state.liveBrokers()::contains).toList());
    }
}
