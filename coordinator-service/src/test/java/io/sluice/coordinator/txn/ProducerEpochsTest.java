package io.sluice.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.controller.ControllerSettings;
import io.sluice.coordinator.store.JsonDocuments;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.sluice.protocol.net.ChannelLogin;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * InitProducerId for a transactional id whose producer has used up its epochs (each restart of a producer takes one):
 * it goes on under a new producer id at epoch 0, as in Kafka, instead of failing for good.
 */
class ProducerEpochsTest {

    private static final short LAST_EPOCH = Short.MAX_VALUE - 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StateStore store;
    private static Vertx vertx;

    private ClusterState state;
    private TransactionCoordinator transactions;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("producer-epochs-test");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopStore() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        store.close();
    }

    @AfterEach
    void stop() {
        transactions.close();
        state.close();
    }

    @ParameterizedTest
    @EnumSource(value = TransactionState.class, names = { "COMPLETE_COMMIT", "ONGOING" })
    void aProducerWhoseEpochsRanOutGoesOnUnderANewProducerId(TransactionState left) {
        start(new Transaction.Record("worn", 42, LAST_EPOCH, 60_000, left, List.of(), List.of(), 0));

        InitProducerIdResponseData renewed = init("worn");
        InitProducerIdResponseData again = init("worn");

        assertThat(renewed.errorCode()).isZero();
        assertThat(renewed.producerId()).isNotEqualTo(42);
        assertThat(renewed.producerEpoch()).isZero();
        assertThat(again.producerId()).isEqualTo(renewed.producerId());
        assertThat(again.producerEpoch()).isEqualTo((short) 1);
    }

    private void start(Transaction.Record persisted) {
        store.withPrefix("").keySet().forEach(store::remove);
        store.put(TransactionCoordinator.TXN + persisted.transactionalId(), new JsonDocuments(JSON).write(persisted));
        state = new ClusterState(store, JSON, new ControllerSettings(60_000, 1_000), System::currentTimeMillis);
        state.load();
        transactions = new TransactionCoordinator(store, JSON, state, null, vertx, ChannelLogin.NONE, 900_000);
        transactions.start();
    }

    private InitProducerIdResponseData init(String transactionalId) {
        return transactions.initProducerId(new InitProducerIdRequestData().setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1)).join();
    }
}
