package io.sluice.gateway.http;

import java.time.Duration;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.net.ThrottledLog;

/**
 * Every failure of the HTTP API becomes a status and the bridge's error body ({@link ErrorBody}); none shows a stack
 * trace. Failures to serve are logged at ERROR, throttled as on the Kafka listeners.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final ThrottledLog FAILURES = new ThrottledLog(LOG, "failed HTTP requests", Duration.ofSeconds(10));

    static Response response(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(status, message)).build();
    }

    @ServerExceptionMapper
    public Response httpError(HttpError error) {
        return response(error.status(), error.getMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException error) {
        int status = error.getResponse().getStatus();
        String message = error.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : error.getMessage();
        return response(status, message);
    }

    @ServerExceptionMapper
    public Response tooManyReads(LeaderRequests.TooManyFetchesException error) {
        return Response.fromResponse(response(429, error.getMessage())).header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response completion(CompletionException wrapped) {
        Throwable cause = wrapped.getCause() == null ? wrapped : wrapped.getCause();
        if (cause instanceof HttpError error) {
            return httpError(error);
        }
        if (cause instanceof WebApplicationException error) {
            return webApplication(error);
        }
        if (cause instanceof LeaderRequests.TooManyFetchesException error) {
            return tooManyReads(error);
        }
        return failed(cause);
    }

    @ServerExceptionMapper
    public Response failed(Throwable failure) {
        FAILURES.log(() -> LOG.error("HTTP request failed", failure));
        return response(500, "the gateway could not serve the request: " + failure.getClass().getSimpleName());
    }
}
