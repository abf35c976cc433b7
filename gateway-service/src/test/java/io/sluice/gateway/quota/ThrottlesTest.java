package io.sluice.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.SecurityFeed;

/** What a gateway asks of a client's quota around its Produce and Fetch requests. */
class ThrottlesTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Throttles throttles = new Throttles(() -> new ClientQuotas(List.of(
            new SecurityFeed.Quota(null, "reader", Map.of(ClientQuotas.CONSUMER_BYTE_RATE, 10_000.0)))), now::get);

    @Test
    void aReaderThatTookMoreThanItsQuotaOwesTheDifferenceBeforeItsNextFetch() {
        assertThat(throttles.burst(ClientQuotas.CONSUMER_BYTE_RATE, "ANONYMOUS", "reader")).hasValue(10_000);
        assertThat(throttles.owed(ClientQuotas.CONSUMER_BYTE_RATE, "ANONYMOUS", "reader")).isZero();

        assertThat(throttles.record(ClientQuotas.CONSUMER_BYTE_RATE, "ANONYMOUS", "reader", 30_000)).isEqualTo(2_000);
        now.addAndGet(500);

        assertThat(throttles.owed(ClientQuotas.CONSUMER_BYTE_RATE, "ANONYMOUS", "reader")).isEqualTo(1_500);
        assertThat(throttles.owed(ClientQuotas.CONSUMER_BYTE_RATE, "ANONYMOUS", "other")).isZero();
        assertThat(throttles.burst(ClientQuotas.CONSUMER_BYTE_RATE, "ANONYMOUS", "other")).isEmpty();
        assertThat(throttles.record(ClientQuotas.PRODUCER_BYTE_RATE, "ANONYMOUS", "reader", 1_000_000)).isZero();
    }
}
