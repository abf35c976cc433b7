package io.sluice.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {

    private final RequestLimits limits = new RequestLimits(32 << 20, 64 << 20);

    @Test
    void onlyProduceMayUseTheWholeLimit() {
        assertThat(limits.maxSize(ApiKeys.PRODUCE.id)).isEqualTo(32 << 20);
        assertThat(limits.maxSize(ApiKeys.METADATA.id)).isEqualTo(RequestLimits.MAX_CONTROL_REQUEST_SIZE);
        assertThat(limits.maxSize(ApiKeys.CREATE_TOPICS.id)).isEqualTo(RequestLimits.MAX_CONTROL_REQUEST_SIZE);
        assertThat(limits.maxSize((short) 4242)).isEqualTo(RequestLimits.MAX_CONTROL_REQUEST_SIZE);
    }

    @Test
    void aSmallerLimitHoldsEveryRequest() {
        assertThat(new RequestLimits(1 << 20, 1 << 20).maxSize(ApiKeys.METADATA.id)).isEqualTo(1 << 20);
    }
}
