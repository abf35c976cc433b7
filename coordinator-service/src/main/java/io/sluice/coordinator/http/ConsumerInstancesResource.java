package io.sluice.coordinator.http;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.sluice.coordinator.Coordinator;
import io.sluice.coordinator.group.ConsumerInstance;
import io.sluice.coordinator.group.GroupCoordinator;
import io.sluice.coordinator.group.InstanceRefusal;
import io.sluice.protocol.contract.CoordinatorContract;

/**
 * The gateways' access to HTTP consumer instances, which the active replica keeps with the groups (the bridge's rules,
 * formats and records are the gateways' business). Answers carry the gateway's error body,
 * {@code {"error_code":…,"message":…}}, with the status the gateway passes on.
 */
@Path(CoordinatorContract.CONSUMER_INSTANCES_PATH + "/{group}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConsumerInstancesResource {

    private static final Logger LOG = Logger.getLogger(ConsumerInstancesResource.class);

    /** A subscription: topics, or a pattern, or neither (none). */
    public record Subscription(List<String> topics, String pattern) {
    }

    /** Positions to move to, committed too with {@code commit}. */
    public record Seek(List<ConsumerInstance.Position> positions, boolean commit) {
    }

    /** Offsets to commit; null for the instance's positions. */
    public record Commit(List<ConsumerInstance.Position> offsets, String metadata) {
    }

    @Inject
    Coordinator coordinator;

    @POST
    public CompletionStage<Response> create(@PathParam("group") String group, ConsumerInstance instance) {
        return serve(groups -> groups.createInstance(instance).thenApply(Response::ok));
    }

    @GET
    @Path("/{name}")
    public CompletionStage<Response> get(@PathParam("group") String group, @PathParam("name") String name) {
        return serve(groups -> groups.instance(group, name).thenApply(Response::ok));
    }

    @DELETE
    @Path("/{name}")
    public CompletionStage<Response> delete(@PathParam("group") String group, @PathParam("name") String name) {
        return serve(groups -> groups.deleteInstance(group, name).thenApply(v -> Response.noContent()));
    }

    @PUT
    @Path("/{name}/subscription")
    public CompletionStage<Response> subscribe(@PathParam("group") String group, @PathParam("name") String name,
            Subscription subscription) {
        return serve(groups -> groups.subscribeInstance(group, name,
                subscription.topics() == null ? List.of() : subscription.topics(),
                subscription.pattern() == null || subscription.pattern().isEmpty() ? null : subscription.pattern())
                .thenApply(v -> Response.noContent()));
    }

    @PUT
    @Path("/{name}/assignments")
    public CompletionStage<Response> assign(@PathParam("group") String group, @PathParam("name") String name,
            List<ConsumerInstance.Partition> partitions) {
        return serve(groups -> groups.assignInstance(group, name, partitions).thenApply(v -> Response.noContent()));
    }

    @POST
    @Path("/{name}/positions")
    public CompletionStage<Response> seek(@PathParam("group") String group, @PathParam("name") String name,
            Seek seek) {
        return serve(groups -> groups.seekInstance(group, name, seek.positions(), seek.commit())
                .thenApply(v -> Response.noContent()));
    }

    @POST
    @Path("/{name}/offsets")
    public CompletionStage<Response> commit(@PathParam("group") String group, @PathParam("name") String name,
            Commit commit) {
        return serve(groups -> groups.commitInstance(group, name, commit.offsets(), commit.metadata())
                .thenApply(v -> Response.noContent()));
    }

    private CompletionStage<Response> serve(
            Function<GroupCoordinator, CompletableFuture<Response.ResponseBuilder>> request) {
        return coordinator.groups()
                .map(groups -> request.apply(groups).thenApply(Response.ResponseBuilder::build)
                        .exceptionally(ConsumerInstancesResource::refused))
                .orElseGet(() -> CompletableFuture.completedFuture(error(503,
                        "this coordinator replica is a standby")));
    }

    private static Response refused(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof InstanceRefusal refusal) {
            return error(refusal.reason().status, refusal.getMessage());
        }
        LOG.warnf("a request about an HTTP consumer instance failed: %s", cause.toString());
        return error(503, "the coordinator could not serve the request: " + cause.getClass().getSimpleName());
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error_code", status, "message", message)).build();
    }
}
