package io.sluice.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.ResponseEncoder;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.net.RequestHandler;
import io.vertx.core.Vertx;

/**
 * A fuzzing client against a coordinator on a real listener: random but decodable requests of every API and version
 * the coordinator serves ({@link DecodableRequests}). Each must be answered by the API it is for, not by the handler's
 * last resort for failures, with an answer that can be written at the request's version; and the connection must
 * stay open. Seeded, so a failure is found again by running again.
 */
class AnyDecodableRequestTest {

    private static final long SEED = 1_202;
    private static final int ROUNDS = 3;
    /** Long enough for an answer; a JoinGroup or SyncGroup may rightly wait for others longer than that. */
    private static final long ANSWER_MS = 1_000;

    private static StateStore store;
    private static Vertx vertx;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("any-decodable-request-test");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopStore() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        store.close();
    }

    @Test
    void everyDecodableRequestIsAnsweredByItsApiAndTheConnectionStaysOpen() throws InterruptedException {
        List<String> failures = new CopyOnWriteArrayList<>();
        try (ListeningCoordinator coordinator = new ListeningCoordinator(store, vertx, 50_000,
                handler -> served(handler, failures))) {
            Uuid orders = Uuid.fromString(coordinator.state().createTopic("orders", 2, 1, Map.of(), false).join().id());
            DecodableRequests requests = new DecodableRequests(SEED, "orders", orders);
            List<ApiVersionRange> apis = new ArrayList<>(CoordinatorContract.CONTROL_APIS);
            apis.addAll(CoordinatorContract.ADMIN_APIS);
            apis.addAll(CoordinatorContract.GROUP_AND_TRANSACTION_APIS);
            for (int round = 0; round < ROUNDS; round++) {
                for (ApiVersionRange range : apis) {
                    for (short version = range.min(); version <= range.max(); version++) {
                        ApiMessage request = requests.next(range.api(), version);
                        CompletableFuture<ApiMessage> answer = coordinator.request(request, version);
                        try {
                            answer.get(ANSWER_MS, TimeUnit.MILLISECONDS);
                        } catch (TimeoutException waiting) {
                            coordinator.reconnect();
                        } catch (ExecutionException e) {
                            failures.add(range.api() + " v" + version + " closed the connection: " + request);
                            coordinator.reconnect();
                        }
                    }
                }
            }
        }

        assertThat(failures).isEmpty();
    }

    /** The coordinator's handler without its last resort: every failure, and every answer that cannot be written. */
    private static RequestHandler served(CoordinatorRequestHandler handler, List<String> failures) {
        return (request, connection) -> handler.serve(request, connection).whenComplete((response, failure) -> {
            if (failure != null) {
                failures.add(request + " failed with " + failure + ": " + request.body());
                return;
            }
            try {
                ResponseEncoder.encode(request, request.apiVersion(), response);
            } catch (RuntimeException e) {
                failures.add(request + " has an answer that cannot be written (" + e + "): " + response);
            }
        });
    }
}
