package io.sluice.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a client told to slow down learns of when to try again. */
class ErrorMappersTest {

    @Test
    void aThrottledRequestSaysWhenToTryAgainInWholeSecondsRoundedUp() {
        assertThat(ErrorMappers.Failure.of(HttpError.tooManyRequests("throttled", 1_500)))
                .isEqualTo(new ErrorMappers.Failure(429, "throttled", 2));
        assertThat(ErrorMappers.Failure.of(HttpError.tooManyRequests("throttled", 1)).retryAfterSeconds()).isEqualTo(1);
        assertThat(ErrorMappers.Failure.of(new HttpError(429, "busy")).retryAfterSeconds()).isEqualTo(1);
        assertThat(ErrorMappers.Failure.of(HttpError.notFound("gone")).retryAfterSeconds()).isZero();
    }
}
