package io.sluice.coordinator.txn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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

/** The transaction coordinator on a one-node state store, started from transactional ids as persisted. */
class TransactionCoordinatorTest {

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

    /**
     * InitProducerId for a transactional id whose producer has used up its epochs (each restart of a producer takes
     * one): it goes on under a new producer id at epoch 0, as in Kafka, instead of failing for good.
     */
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

    @Test
    void listingFiltersByKafkasStateNamesProducerIdsAndDuration() {
        long now = System.currentTimeMillis();
        start(new Transaction.Record("old", 1, (short) 0, 60_000, TransactionState.ONGOING,
                List.of(new TxnPartition("t", 0)), List.of(), now - 50_000),
                new Transaction.Record("young", 2, (short) 0, 60_000, TransactionState.ONGOING, List.of(), List.of(),
                        now),
                new Transaction.Record("done", 3, (short) 4, 60_000, TransactionState.COMPLETE_COMMIT, List.of(),
                        List.of(), now - 90_000));

        assertThat(listed(new ListTransactionsRequestData())).containsExactly("done", "old", "young");
        ListTransactionsResponseData ongoing = list(new ListTransactionsRequestData()
                .setStateFilters(List.of("Ongoing", "Dead", "Lost")));
        assertThat(ongoing.transactionStates()).extracting(t -> t.transactionalId())
                .containsExactly("old", "young");
        assertThat(ongoing.unknownStateFilters()).as("Dead is Kafka's, Lost nobody's").containsExactly("Lost");
        assertThat(listed(new ListTransactionsRequestData().setProducerIdFilters(List.of(3L, 9L))))
                .containsExactly("done");
        assertThat(listed(new ListTransactionsRequestData().setStateFilters(List.of("Ongoing"))
                .setDurationFilter(10_000))).as("open longer than 10 s").containsExactly("old");
    }

    @Test
    void describingTellsStateProducerAndPartitionsOrThatTheIdIsUnknown() {
        start(new Transaction.Record("open", 7, (short) 2, 30_000, TransactionState.ONGOING,
                List.of(new TxnPartition("b", 1), new TxnPartition("a", 0), new TxnPartition("b", 0)), List.of(),
                1_000));

        List<DescribeTransactionsResponseData.TransactionState> described = transactions.describe(
                new DescribeTransactionsRequestData().setTransactionalIds(List.of("open", "unknown"))).join()
                .transactionStates();

        assertThat(described.get(0).errorCode()).isZero();
        assertThat(described.get(0).transactionState()).isEqualTo("Ongoing");
        assertThat(described.get(0).producerId()).isEqualTo(7);
        assertThat(described.get(0).producerEpoch()).isEqualTo((short) 2);
        assertThat(described.get(0).transactionTimeoutMs()).isEqualTo(30_000);
        assertThat(described.get(0).transactionStartTimeMs()).isEqualTo(1_000);
        assertThat(described.get(0).topics()).extracting(t -> t.topic() + t.partitions())
                .containsExactly("a[0]", "b[1, 0]");
        assertThat(described.get(1).errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
    }

    private ListTransactionsResponseData list(ListTransactionsRequestData request) {
        return transactions.list(request).join();
    }

    private List<String> listed(ListTransactionsRequestData request) {
        return list(request).transactionStates().stream().map(t -> t.transactionalId()).toList();
    }

    private void start(Transaction.Record... persisted) {
        store.withPrefix("").keySet().forEach(store::remove);
        for (Transaction.Record record : persisted) {
            store.put(TransactionCoordinator.TXN + record.transactionalId(), new JsonDocuments(JSON).write(record));
        }
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
