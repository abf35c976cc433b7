package io.sluice.broker;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.sluice.broker.store.PartitionStore;
import io.sluice.protocol.contract.BrokerContract;
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
        router.post(BrokerContract.STORE_SHUTDOWN_PATH).blockingHandler(ctx -> {
            broker.store().shutdownCluster();
            ctx.response().setStatusCode(204).end();
        });
    }
}
