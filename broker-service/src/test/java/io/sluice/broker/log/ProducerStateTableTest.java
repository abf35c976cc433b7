package io.sluice.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ProducerStateTableTest {

    private final ProducerStateTable table = new ProducerStateTable();

    private void sent(long producerId, int epoch, int first, int last, long offset) {
        table.record(producerId, (short) epoch, first, last, 1_000, CompletableFuture.completedFuture(offset));
    }

    @Test
    void activeProducersShowTheirLastBatchAndOpenTransaction() {
        sent(9, 1, 0, 4, 0);
        sent(7, 0, 0, 9, 5);
        table.beginTransaction(7, 5);
        table.recordMarker(9, (short) 1, 3);

        assertThat(table.active()).containsExactly(new ProducerState(7, (short) 0, 9, 1_000, -1, 5),
                new ProducerState(9, (short) 1, 4, 1_000, 3, -1));
    }

    @Test
    void unknownProducerIsAcceptedFromSequenceZero() {
        assertThat(table.check(7, (short) 0, 0, 9)).isInstanceOf(ProducerStateTable.Accept.class);
    }

    @Test
    void unknownProducerContinuingMidwayIsUnknown() {
        ProducerStateTable.Check check = table.check(7, (short) 0, 5, 9);

        assertThat(((ProducerStateTable.Reject) check).error()).isEqualTo(Errors.UNKNOWN_PRODUCER_ID);
    }

    @Test
    void nextSequenceIsAccepted() {
        sent(7, 0, 0, 9, 100);

        assertThat(table.check(7, (short) 0, 10, 19)).isInstanceOf(ProducerStateTable.Accept.class);
    }

    @Test
    void retriedBatchIsADuplicateWithItsOriginalOffset() {
        sent(7, 0, 0, 9, 100);
        sent(7, 0, 10, 19, 110);

        ProducerStateTable.Check check = table.check(7, (short) 0, 0, 9);

        assertThat(check).isInstanceOf(ProducerStateTable.Duplicate.class);
        assertThat(((ProducerStateTable.Duplicate) check).original().baseOffset().join()).isEqualTo(100);
    }

    @Test
    void gapInSequenceIsOutOfOrder() {
        sent(7, 0, 0, 9, 100);

        ProducerStateTable.Check check = table.check(7, (short) 0, 20, 29);

        assertThat(check).isInstanceOf(ProducerStateTable.Reject.class);
        assertThat(((ProducerStateTable.Reject) check).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void olderEpochIsFenced() {
        sent(7, 3, 0, 9, 100);

        ProducerStateTable.Check check = table.check(7, (short) 2, 10, 19);

        assertThat(((ProducerStateTable.Reject) check).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void newEpochMustStartAtSequenceZero() {
        sent(7, 0, 0, 9, 100);

        assertThat(table.check(7, (short) 1, 0, 4)).isInstanceOf(ProducerStateTable.Accept.class);
        assertThat(((ProducerStateTable.Reject) table.check(7, (short) 1, 5, 9)).error())
                .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void onlyTheLastFiveBatchesAreRemembered() {
        for (int i = 0; i < 7; i++) {
            sent(7, 0, i * 10, i * 10 + 9, 100 + i * 10);
        }

        assertThat(table.check(7, (short) 0, 20, 29)).isInstanceOf(ProducerStateTable.Duplicate.class);
        assertThat(table.check(7, (short) 0, 10, 19)).isInstanceOf(ProducerStateTable.Reject.class);
    }

    @Test
    void sequenceWrapsToZeroAfterIntegerMax() {
        sent(7, 0, Integer.MAX_VALUE - 9, Integer.MAX_VALUE, 100);

        assertThat(table.check(7, (short) 0, 0, 9)).isInstanceOf(ProducerStateTable.Accept.class);
    }
}
