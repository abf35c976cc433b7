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
 * Every failure of the HTTP API becomes a status and the bridge's error body ({@link ErrorBody}), which Confluent's v3
 * paths share; {@link GroupsResource} answers with RFC 9457 problem details instead. None shows a stack trace.
 * Failures to serve are logged at ERROR, throttled as on the Kafka listeners.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final ThrottledLog FAILURES = new ThrottledLog(LOG, "failed HTTP requests", Duration.ofSeconds(10));
    static final String PROBLEM_JSON = "application/problem+json";

    /** A failure as a client hears of it: a status and a message. */
    record Failure(int status, String message) {

        static Failure of(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            if (cause instanceof HttpError error) {
                return new Failure(error.status(), error.getMessage());
            }
            if (cause instanceof WebApplicationException error) {
                int status = error.getResponse().getStatus();
                return new Failure(status, error.getMessage() == null
                        ? Response.Status.fromStatusCode(status).getReasonPhrase()
                        : error.getMessage());
            }
            if (cause instanceof LeaderRequests.TooManyFetchesException) {
                return new Failure(429, cause.getMessage());
            }
            FAILURES.log(() -> LOG.error("HTTP request failed", cause));
            return new Failure(500, "the gateway could not serve the request: " + cause.getClass().getSimpleName());
        }

        /** A client told to slow down is told when to try again. */
        Response.ResponseBuilder withRetryAfter(Response.ResponseBuilder response) {
            return status == 429 ? response.header("Retry-After", "1") : response;
        }
    }

    @ServerExceptionMapper
    public Response failed(Throwable failure) {
        Failure f = Failure.of(failure);
        return f.withRetryAfter(Response.status(f.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(f.status(), f.message()))).build();
    }

    /** RFC 9457 problem details: {@code type}, {@code title}, {@code status}, {@code detail}. */
    static Response problem(Throwable failure) {
        Failure f = Failure.of(failure);
        Response.StatusType status = Response.Status.fromStatusCode(f.status());
        String title = status != null ? status.getReasonPhrase() : f.status() == 422 ? "Unprocessable Content" : "Error";
        return f.withRetryAfter(Response.status(f.status()).type(PROBLEM_JSON)
                .entity(new ProblemDetails("about:blank", title, f.status(), f.message())))
                .build();
    }

    /** The body of an RFC 9457 problem. */
    public record ProblemDetails(String type, String title, int status, String detail) {
    }
}
