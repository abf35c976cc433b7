package io.sluice.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.sluice.broker.leadership.OwnerReports;
import io.sluice.broker.store.PartitionStore;
import io.sluice.protocol.contract.BrokerContract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** The HTTP endpoints of this broker's store node. */
@ApplicationScoped
public class StoreRoutes {

    @Inject
    Broker broker;

    /**
     * {@code GET /store/balance}: 200 once the store serves every partition and moves no data between brokers, 503
     * while it does. The operator waits for it between two steps of a rolling update or a scale-down.
     * <p>
     * {@code POST /store/shutdown}: stops the store caches on every broker at once, persisting where each entry lives,
     * before all brokers are stopped for a full restart ({@code sluice down}).
     * <p>
     * {@code GET /store/owners}: where the data of each replicated partition lives ({@link OwnerReports#owners}), 503
     * until the broker has started.
     */
    void routes(@Observes Router router) {
        router.get(BrokerContract.STORE_BALANCE_PATH).blockingHandler(ctx -> {
            PartitionStore store = broker.store();
            boolean available = store != null && store.available();
            boolean rebalancing = store != null && store.rebalancing();
            boolean balanced = available && !rebalancing;
            ctx.response().setStatusCode(balanced ? 200 : 503).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("balanced", balanced).put("available", available)
                            .put("rebalancing", rebalancing)
                            .put("members", store == null ? 0 : store.members().size()).encode());
        });
        router.get(BrokerContract.STORE_OWNERS_PATH).blockingHandler(ctx -> {
            OwnerReports owners = broker.owners();
            if (owners == null) {
                ctx.response().setStatusCode(503).end();
                return;
            }
            JsonObject topics = new JsonObject();
            owners.owners().forEach((topic, partitions) -> topics.put(topic, new JsonArray(partitions.stream()
                    .map(p -> p.map(JsonArray::new).orElse(null)).toList())));
            ctx.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("topics", topics).encode());
        });
        router.post(BrokerContract.STORE_SHUTDOWN_PATH).blockingHandler(ctx -> {
            broker.store().shutdownCluster();
            ctx.response().setStatusCode(204).end();
        });
    }
}
