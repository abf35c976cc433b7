package io.sluice.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.SecurityFeed;

/** How a caller that waits for its clients (the HTTP API) holds a user to its byte rates. */
class QuotaAccountTest {

    private static final String PRODUCE = ClientQuotas.PRODUCER_BYTE_RATE;
    private static final String CONSUME = ClientQuotas.CONSUMER_BYTE_RATE;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> waits = new ArrayList<>();
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    /** Notes each wait asked for and holds its task until {@link #waitOne} lets the time pass. */
    private final LongFunction<Executor> after = ms -> task -> {
        waits.add(ms);
        waiting.add(() -> {
            now.addAndGet(ms);
            task.run();
        });
    };
    private final Throttles throttles = new Throttles(() -> new ClientQuotas(List.of(
            new SecurityFeed.Quota("ivan", null, Map.of(PRODUCE, 1_000.0, CONSUME, 10_000.0)))), now::get);

    private void waitOne() {
        waiting.remove().run();
    }

    @Test
    void aUserThatOwesWaitsUntilItOwesNothingCountingWhatOthersOfItSpendMeanwhile() {
        QuotaAccount ivan = new QuotaAccount(throttles, "ivan", "", after);
        ivan.spend(PRODUCE, () -> 3_000);

        CompletableFuture<Void> paid = ivan.paidUp(PRODUCE);
        assertThat(waits).containsExactly(2_000L);
        assertThat(paid).isNotDone();

        // another connection of the same user, sending while this one waits
        ivan.spend(PRODUCE, () -> 1_000);
        waitOne();
        assertThat(waits).containsExactly(2_000L, 1_000L);
        assertThat(paid).isNotDone();

        waitOne();
        assertThat(paid).isCompleted();
        assertThat(new QuotaAccount(throttles, "ivan", "", after).paidUp(CONSUME)).isCompleted();
    }

    @Test
    void theUsersKafkaClientsAndHttpRequestsCountTogether() {
        throttles.record(PRODUCE, "ivan", "kafka-app", 2_500);

        assertThat(throttles.account("ivan", "").paidUp(PRODUCE)).isNotDone();
        assertThat(throttles.account("someone-else", "").paidUp(PRODUCE)).isCompleted();
    }

    @Test
    void aReadAsksForNoMoreThanTheQuotaAllowsAtOnce() {
        QuotaAccount ivan = throttles.account("ivan", "");

        assertThat(ivan.atOnce(CONSUME, 1 << 20)).isEqualTo(10_000);
        assertThat(ivan.atOnce(CONSUME, 500)).isEqualTo(500);
        assertThat(throttles.account("someone-else", "").atOnce(CONSUME, 1 << 20)).isEqualTo(1 << 20);
    }

    @Test
    void withoutAnyQuotaNothingIsMeasuredAndNothingWaits() {
        QuotaAccount free = new Throttles(() -> ClientQuotas.NONE, now::get).account("ivan", "");

        free.spend(PRODUCE, () -> {
            throw new AssertionError("measured without a quota");
        });

        assertThat(free.paidUp(PRODUCE)).isCompleted();
        assertThat(free.atOnce(CONSUME, 1 << 20)).isEqualTo(1 << 20);
    }
}
