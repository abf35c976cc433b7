package io.sluice.coordinator.http;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.sluice.coordinator.Coordinator;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.SecurityFeed;

/**
 * The gateways' feed of what they authenticate and authorize clients with ({@link SecurityFeed}: SCRAM credentials
 * with salts and keys, and ACLs), served by the active replica, or 304 to a gateway whose copy is current (it polls
 * every second); a standby answers 503 with the error body of the other internal
 * endpoints.
 * Internal: the coordinators' HTTP port must not be reachable by clients.
 */
@Path(CoordinatorContract.SECURITY_PATH)
@Produces(MediaType.APPLICATION_JSON)
public class SecurityResource {

    @Inject
    Coordinator coordinator;

    /** @param known the version the gateway has: 304 while it is still the current one */
    @GET
    public Response feed(@QueryParam("known") Long known) {
        return coordinator.security()
                .map(security -> known != null && known == security.version()
                        ? Response.notModified().build()
                        : Response.ok(security.feed()).build())
                .orElseGet(() -> Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                        .entity(Map.of("error_code", 503, "message", "this coordinator replica is a standby"))
                        .build());
    }
}
