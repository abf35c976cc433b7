package io.sluice.gateway.http;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.sluice.gateway.Gateway;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /topics/{topic}/ws}: the live tail over a WebSocket, which also takes records to produce
 * ({@link TopicSocket}). The same parameters as the SSE stream, with {@code lastEventId} as a query parameter (a
 * browser cannot set headers on a WebSocket); a bad one is refused with its HTTP status before the upgrade.
 */
@ApplicationScoped
public class TopicSockets {

    private static final Logger LOG = Logger.getLogger(TopicSockets.class);
    static final String PATH = "/topics/:topic/ws";

    @Inject
    Gateway gateway;

    @Inject
    HttpServices services;

    @Inject
    HttpAccess access;

    @Inject
    BodyBudget bodies;

    void routes(@Observes Router router) {
        router.get(PATH).handler(this::open);
    }

    private void open(RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
            refuse(routing, new ErrorMappers.Failure(426, "this path is a WebSocket: ask for an upgrade (Upgrade: "
                    + "websocket)"));
            return;
        }
        String topicName = routing.pathParam("topic");
        HttpCaller caller = access.caller(routing);
        try {
            caller.reads(topicName);
        } catch (HttpError refused) {
            refuse(routing, ErrorMappers.Failure.of(refused));
            return;
        }
        // Held until the request is checked, which may need a fresh metadata view.
        request.pause();
        Context context = Vertx.currentContext();
        CompletableFuture<TailRequest> checked = Topics.find(gateway.metadata(), topicName)
                .thenApply(topic -> TailRequest.of(topic, request.getParam("from"), request.getParam("partition"),
                        request.getParam("format"), request.getParam("lastEventId")));
        checked.whenComplete((tail, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                refuse(routing, ErrorMappers.Failure.of(failure));
                return;
            }
            StreamSlots.Slot slot;
            try {
                slot = services.streamSlot();
            } catch (HttpError refused) {
                refuse(routing, ErrorMappers.Failure.of(refused));
                return;
            }
            request.toWebSocket()
                    .onSuccess(socket -> {
                        TopicSocket topicSocket = new TopicSocket(socket, context, tail, services.producer(),
                                () -> access.caller(routing), Infrastructure.getDefaultWorkerPool(), bodies);
                        topicSocket.start(services.tail(tail, topicSocket, caller.quota(), slot));
                    })
                    .onFailure(e -> {
                        slot.release();
                        LOG.debugf("WebSocket upgrade on %s failed: %s", request.path(), e);
                    });
        }));
    }

    private static void refuse(RoutingContext routing, ErrorMappers.Failure failure) {
        routing.request().resume();
        ErrorMappers.refuse(routing, failure);
    }
}
