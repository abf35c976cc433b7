package io.sluice.gateway.http;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.smallrye.common.annotation.Blocking;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * Consumer groups over HTTP: list, describe, lag, reset offsets and delete, as kafka-consumer-groups does them.
 * Errors are RFC 9457 problem details ({@code application/problem+json}).
 */
@Path("/groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Consumer groups", description = "List, describe, lag, reset offsets, delete")
public class GroupsResource {

    @Inject
    HttpServices services;

    @Inject
    HttpAccess access;

    @GET
    @Operation(summary = "List consumer groups with their state and protocol type")
    public CompletionStage<GroupBodies.Groups> list() {
        Predicate<String> listed = access.caller().listedGroups();
        return services.groups().list().thenApply(all -> new GroupBodies.Groups(all.groups().stream()
                .filter(g -> listed.test(g.group())).toList()));
    }

    @GET
    @Path("/{group}")
    @Operation(summary = "Describe a group: state, protocol, members and their assigned partitions")
    public CompletionStage<GroupBodies.Group> describe(@PathParam("group") String group) {
        access.caller().describesGroup(group);
        return services.groups().describe(group);
    }

    @GET
    @Path("/{group}/lag")
    @Operation(summary = "A group's lag per partition: committed offset, log end offset, lag")
    public CompletionStage<GroupBodies.Lag> lag(@PathParam("group") String group) {
        // DescribeGroups and OffsetFetch, which answers only the topics the caller may describe.
        HttpCaller caller = access.caller();
        caller.describesGroup(group);
        Predicate<String> listed = caller.listedTopics();
        return services.groups().lag(group).thenApply(lag -> new GroupBodies.Lag(lag.group(), lag.state(),
                lag.partitions().stream().filter(p -> listed.test(p.topic())).toList()));
    }

    @POST
    @Path("/{group}/offsets/reset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Reset a group's committed offsets", description = "{\"topic\":\"orders\",\"partitions\":"
            + "[0,2],\"to\":\"earliest\"}; to is earliest, latest, offset (with \"offset\":N) or timestamp (with "
            + "\"timestamp\":\"2026-12-02T18:00:00Z\"); partitions left out: all of the topic. New offsets stay within "
            + "the log. 409 while the group has members, as kafka-consumer-groups refuses.")
    public CompletionStage<GroupBodies.ResetDone> reset(@PathParam("group") String group,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "to earliest", value = "{\"topic\":\"orders\",\"partitions\":[0,2],\"to\":\"earliest\"}"))) byte[] body) {
        GroupBodies.Reset reset;
        try {
            reset = EmbeddedFormat.MAPPER.readValue(body, GroupBodies.Reset.class);
        } catch (StreamReadException e) {
            throw HttpError.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            throw HttpError.unprocessable("the body must be {\"topic\":…,\"partitions\":[…],\"to\":…}: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw HttpError.badRequest("the body cannot be read");
        }
        if (reset == null) {
            throw HttpError.unprocessable("the body is empty");
        }
        access.caller().commits(group, reset.topic() == null ? List.of() : List.of(reset.topic()));
        return services.groups().reset(group, reset);
    }

    @DELETE
    @Path("/{group}")
    @Operation(summary = "Delete a group and its committed offsets; 409 while it has members")
    public CompletionStage<Response> delete(@PathParam("group") String group) {
        access.caller().deletesGroup(group);
        return services.groups().delete(group).thenApply(nothing -> Response.noContent().build());
    }

    /** This resource's failures as problem details. */
    @ServerExceptionMapper
    public Response problem(Throwable failure) {
        return ErrorMappers.problem(failure);
    }
}
