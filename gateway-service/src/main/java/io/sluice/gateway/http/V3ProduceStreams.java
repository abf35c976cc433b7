package io.sluice.gateway.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;

import io.sluice.gateway.Gateway;
import io.sluice.gateway.GatewayConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Confluent REST v3's produce path in streaming mode ({@code Transfer-Encoding: chunked}): served here, record by
 * record as they arrive ({@link V3ProduceStream}). A body of known length goes on to {@link ConfluentV3Resource},
 * which reads it whole and answers once.
 */
@ApplicationScoped
public class V3ProduceStreams {

    static final String PATH = "/v3/clusters/:cluster_id/topics/:topic_name/records";

    @Inject
    Gateway gateway;

    @Inject
    GatewayConfig config;

    @Inject
    HttpServices services;

    @Inject
    HttpAccess access;

    @Inject
    BodyBudget bodies;

    void routes(@Observes Router router) {
        router.post(PATH).order(BodyBudget.ORDER - 1).handler(this::open);
    }

    private void open(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (!"chunked".equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING))) {
            routing.next();
            return;
        }
        String clusterId = routing.pathParam("cluster_id");
        String topicName = routing.pathParam("topic_name");
        HttpCaller caller = access.caller(routing);
        int maxRecordSize = config.gateway().http().maxRecordSize();
        try {
            if (!json(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
                throw new HttpError(415, "records are streamed as application/json");
            }
            ConfluentV3Resource.checkCluster(gateway.metadata(), clusterId);
            caller.produces(topicName);
            // Held while it streams, so refused rather than waited for.
            if (!bodies.tryHold(routing, V3ProduceStream.maxRecordJson(maxRecordSize))) {
                throw HttpError.tooManyRequests("too many request bodies are being read; try again later", 1_000);
            }
        } catch (HttpError refused) {
            refuse(routing, ErrorMappers.Failure.of(refused));
            return;
        }
        // Held until the topic is found, which may need a fresh metadata view.
        request.pause();
        Context context = Vertx.currentContext();
        Topics.find(gateway.metadata(), topicName).whenComplete((topic, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                refuse(routing, ErrorMappers.Failure.of(failure));
                return;
            }
            new V3ProduceStream(request, context, clusterId, topic, services.producer(), caller, maxRecordSize).start();
        }));
    }

    private static boolean json(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE);
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    /** Refuses the stream and closes its connection: the rest of a stream refused is never read. */
    private static void refuse(RoutingContext routing, ErrorMappers.Failure failure) {
        routing.response().bodyEndHandler(v -> routing.request().connection().close());
        ErrorMappers.refuse(routing, failure);
    }
}
