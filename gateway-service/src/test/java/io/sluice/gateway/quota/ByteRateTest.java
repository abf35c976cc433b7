package io.sluice.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How long a client waits to be back within its byte rate quota. */
class ByteRateTest {

    @Test
    void aSecondsWorthPassesAtOnceAndWhatGoesBeyondIsWaitedOut() {
        ByteRate rate = new ByteRate(0, 1_000);

        assertThat(rate.record(1_000, 0, 1_000)).as("the burst").isZero();
        assertThat(rate.record(2_000, 100, 1_000)).as("100 B refilled, 1,900 B owed at 1 kB/s").isEqualTo(1_900);
        assertThat(rate.record(0, 2_000, 1_000)).as("the debt waited out").isZero();
        assertThat(rate.idle(2_000)).isFalse();
        assertThat(rate.idle(3_000)).as("full again").isTrue();
    }

    @Test
    void aDebtOutlastsTheLongestThrottleAndKeepsThrottling() {
        ByteRate rate = new ByteRate(0, 1_000);

        assertThat(rate.record(100_000, 0, 1_000)).isEqualTo(ByteRate.MAX_THROTTLE_MS);
        assertThat(rate.record(0, ByteRate.MAX_THROTTLE_MS, 1_000)).as("89 s of debt left")
                .isEqualTo(ByteRate.MAX_THROTTLE_MS);
        assertThat(rate.record(0, 99_000, 1_000)).isZero();
    }
}
