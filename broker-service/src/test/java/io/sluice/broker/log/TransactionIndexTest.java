package io.sluice.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TransactionIndexTest {

    private final TransactionIndex index = new TransactionIndex();

    @Test
    void theEarliestOngoingTransactionIsTheFirstUnstableOffset() {
        assertThat(index.firstUnstableOffset()).isEqualTo(Long.MAX_VALUE);

        index.apply(new TransactionEvent.Begun(1, 10));
        index.apply(new TransactionEvent.Begun(2, 12));
        index.apply(new TransactionEvent.Begun(1, 14));

        assertThat(index.firstUnstableOffset()).isEqualTo(10);
        assertThat(index.ongoing()).isEqualTo(Map.of(1L, 10L, 2L, 12L));
        index.apply(new TransactionEvent.Ended(1, 10, 15, true));
        assertThat(index.firstUnstableOffset()).isEqualTo(12);
        index.apply(new TransactionEvent.Ended(2, 12, 16, false));
        assertThat(index.firstUnstableOffset()).isEqualTo(Long.MAX_VALUE);
        assertThat(index.abortedWithin(0, 100)).containsExactly(new AbortedTransaction(2, 12, 16));
    }

    @Test
    void abortedTransactionsOverlappingARange() {
        index.apply(new TransactionEvent.Ended(1, 0, 5, false));
        index.apply(new TransactionEvent.Ended(2, 3, 9, false));
        index.apply(new TransactionEvent.Ended(3, 10, 12, false));

        assertThat(index.abortedWithin(6, 10)).containsExactly(new AbortedTransaction(2, 3, 9));
        assertThat(index.abortedWithin(0, 4)).extracting(AbortedTransaction::producerId).containsExactly(1L, 2L);
        index.dropBefore(6);
        assertThat(index.abortedWithin(0, 100)).extracting(AbortedTransaction::producerId).containsExactly(2L, 3L);
    }

    @Test
    void aLongAbortedTransactionIsFoundAmongManyShortOnes() {
        index.apply(new TransactionEvent.Ended(1, 0, 1, false));
        index.apply(new TransactionEvent.Ended(2, 2, 1_000, false));
        for (long first = 3; first < 900; first += 2) {
            index.apply(new TransactionEvent.Ended(first, first, first + 1, false));
        }

        assertThat(index.abortedWithin(2, 3)).extracting(AbortedTransaction::producerId).containsExactly(2L);
        assertThat(index.abortedWithin(5, 6)).extracting(AbortedTransaction::producerId).containsExactly(5L, 2L);
        assertThat(index.abortedWithin(950, 960)).extracting(AbortedTransaction::producerId).containsExactly(2L);
        assertThat(index.abortedWithin(1_001, 2_000)).isEmpty();
    }

    @Test
    void eventsSurviveTheIndexEntry() {
        ChunkInfo chunk = new ChunkInfo(10, 20, 1_000, 512, 3);
        List<TransactionEvent> events = List.of(new TransactionEvent.Begun(7, 10),
                new TransactionEvent.Ended(8, 2, 20, false), new TransactionEvent.Ended(9, 4, 19, true));

        byte[] entry = chunk.encode(events);

        assertThat(ChunkInfo.decode(10, entry)).isEqualTo(chunk);
        assertThat(ChunkInfo.events(entry)).isEqualTo(events);
        assertThat(ChunkInfo.events(chunk.encode(List.of()))).isEmpty();
    }
}
