package io.sluice.gateway.http;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.sluice.gateway.GatewayConfig;
import io.sluice.protocol.net.HeldRequests;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The bytes of HTTP request bodies the gateway holds at once, every connection together, as the Kafka listeners hold
 * their requests: a request whose body does not fit is not read (its connection stops reading) until earlier ones are
 * answered. Without it, forty clients posting 9 MiB each at once exhausted a 256 MiB gateway's heap. A body counts at
 * its {@code Content-Length}; one of unknown length at the body size limit, as Quarkus REST may buffer that much. A
 * streaming produce holds the most one record can take, for as long as it streams; a WebSocket message its length
 * while it is produced (Vert.x has read it by then: this bounds its parsing, not the messages themselves).
 */
@ApplicationScoped
public class BodyBudget {

    /** After the logins and the upload limit (an oversize body is refused, never waited for), before Quarkus REST. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;
    private static final int HEAP_SHARE = 16;

    @Inject
    GatewayConfig config;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    private HeldRequests held;

    @PostConstruct
    void start() {
        held = new HeldRequests(config.gateway().http().maxHeldBodyBytes()
                .orElse(Runtime.getRuntime().maxMemory() / HEAP_SHARE));
        Gauge.builder("sluice.http.held.body", held, HeldRequests::held).baseUnit(BaseUnits.BYTES)
                .description("Bytes of HTTP request bodies held, read and not yet answered").register(registry);
        Gauge.builder("sluice.http.held.body.budget", held, HeldRequests::budget).baseUnit(BaseUnits.BYTES)
                .description("The most bytes of HTTP request bodies held at once").register(registry);
    }

    void routes(@Observes Router router) {
        router.route().order(ORDER).handler(this::admit);
    }

    /**
     * Holds {@code bytes} until the request is answered if they fit now, and says whether they did; for a request that
     * would hold them too long to wait for them.
     */
    boolean tryHold(RoutingContext routing, int bytes) {
        if (!held.tryHold(bytes)) {
            return false;
        }
        routing.addEndHandler(v -> release(bytes));
        return true;
    }

    /**
     * Runs {@code then} once {@code bytes} are held: at once if they fit (and says so), else on {@code context} when
     * enough are released. Whoever {@code then} is gives them back with {@link #release}.
     */
    boolean hold(int bytes, Context context, Runnable then) {
        if (held.hold(bytes, () -> context.runOnContext(v -> hold(bytes, context, then)))) {
            then.run();
            return true;
        }
        return false;
    }

    void release(int bytes) {
        held.release(bytes);
    }

    private void admit(RoutingContext routing) {
        int bytes = bodyBytes(routing.request());
        if (bytes == 0) {
            routing.next();
        } else if (!hold(bytes, Vertx.currentContext(), () -> admitted(routing, bytes))) {
            routing.request().pause();
        }
    }

    private void admitted(RoutingContext routing, int bytes) {
        if (routing.response().closed()) {
            release(bytes);
            return;
        }
        routing.addEndHandler(v -> release(bytes));
        routing.next();
    }

    private int bodyBytes(HttpServerRequest request) {
        int limit = (int) Math.min(Integer.MAX_VALUE, maxBodySize.asLongValue());
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                return (int) Math.min(limit, Math.max(0, Long.parseLong(length.trim())));
            } catch (NumberFormatException unreadable) {
                return limit;
            }
        }
        boolean unknownLength = request.version() == HttpVersion.HTTP_2 ? mayHaveBody(request.method())
                : "chunked".equalsIgnoreCase(request.getHeader(HttpHeaders.TRANSFER_ENCODING));
        return unknownLength ? limit : 0;
    }

    private static boolean mayHaveBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }
}
