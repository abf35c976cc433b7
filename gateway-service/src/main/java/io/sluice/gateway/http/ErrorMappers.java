package io.sluice.gateway.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.sluice.gateway.routing.LeaderRequests;
import io.sluice.protocol.net.ThrottledLog;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Every failure of the HTTP API becomes a status and the bridge's error body ({@link ErrorBody}), which Confluent's v3
 * paths share; {@link GroupsResource} answers with RFC 9457 problem details instead. None shows a stack trace.
 * Failures to serve are logged at ERROR, throttled as on the Kafka listeners.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    private static final ThrottledLog FAILURES = new ThrottledLog(LOG, "failed HTTP requests", Duration.ofSeconds(10));
    static final String PROBLEM_JSON = "application/problem+json";
    /** The Strimzi bridge's paths, and Confluent's, which share its error body. */
    private static final List<String> BRIDGE_PATHS = List.of("/topics", "/consumers", "/v3");

    /** A failure as a client hears of it: a status, a message, and for a 429 when to try again. */
    record Failure(int status, String message, long retryAfterSeconds) {

        /** A 429 made so tells the client to try again a second later. */
        Failure(int status, String message) {
            this(status, message, status == 429 ? 1 : 0);
        }

        static Failure of(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            if (cause instanceof HttpError error) {
                return error.retryAfterSeconds() > 0
                        ? new Failure(error.status(), error.getMessage(), error.retryAfterSeconds())
                        : new Failure(error.status(), error.getMessage());
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
            return retryAfterSeconds > 0 ? response.header("Retry-After", retryAfterSeconds) : response;
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
        return f.withRetryAfter(Response.status(f.status()).type(PROBLEM_JSON).entity(ProblemDetails.of(f))).build();
    }

    /**
     * Answers a request refused before any resource saw it (a WebSocket's checks, a login) with the error body of
     * the path's API: the bridge's on the bridge's and Confluent's paths, problem details elsewhere.
     */
    static void refuse(RoutingContext routing, Failure failure) {
        String path = routing.normalizedPath();
        boolean bridge = BRIDGE_PATHS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
        HttpServerResponse response = routing.response().setStatusCode(failure.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, bridge ? MediaType.APPLICATION_JSON : PROBLEM_JSON);
        if (failure.retryAfterSeconds() > 0) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(failure.retryAfterSeconds()));
        }
        response.end(TopicSocket.json(bridge ? new ErrorBody(failure.status(), failure.message())
                : ProblemDetails.of(failure)));
    }

    /** The body of an RFC 9457 problem. */
    public record ProblemDetails(String type, String title, int status, String detail) {

        static ProblemDetails of(Failure failure) {
            Response.StatusType status = Response.Status.fromStatusCode(failure.status());
            String title = status != null ? status.getReasonPhrase()
                    : failure.status() == 422 ? "Unprocessable Content" : "Error";
            return new ProblemDetails("about:blank", title, failure.status(), failure.message());
        }
    }
}
