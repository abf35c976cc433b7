package io.sluice.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The throttle time of a byte rate, as Kafka's quotas compute it. */
class ByteRateTest {

    @Test
    void withinTheQuotaNothingWaitsAndOverItTheWaitBringsTheRateBack() {
        ByteRate rate = new ByteRate(0);

        assertThat(rate.record(1_000, 0, 1_000)).as("1 kB over the 2 s span counted at least").isZero();
        long throttle = rate.record(2_000, 100, 1_000);

        assertThat(throttle).as("3 kB at 1 kB/s over 2 s: 1 s more").isEqualTo(1_000);
        assertThat(rate.record(0, 3_000, 1_000)).as("after the wait, within the quota again").isZero();
    }

    @Test
    void aThrottleNeverExceedsTheMeasuredSpan() {
        ByteRate rate = new ByteRate(0);

        assertThat(rate.record(1_000_000_000, 0, 1_000)).isEqualTo(ByteRate.MAX_THROTTLE_MS);
        assertThat(rate.idle(ByteRate.MAX_THROTTLE_MS)).isTrue();
    }
}
