package io.sluice.broker.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LeadershipLeaseTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final LeadershipLease lease = new LeadershipLease(Duration.ofSeconds(4), clock::get);

    private void advance(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void noLeaseBeforeTheCoordinatorAcknowledgedAnything() {
        assertThat(lease.held()).isFalse();
    }

    @Test
    void leaseRunsFromWhenTheAcknowledgedHeartbeatWasSentNotWhenItsAnswerCame() {
        long sentAt = lease.now();
        advance(Duration.ofSeconds(3));
        lease.renew(sentAt);
        assertThat(lease.held()).isTrue();

        advance(Duration.ofMillis(1_001));

        assertThat(lease.held()).isFalse();
    }

    @Test
    void aPauseLongerThanTheLeaseEndsItUntilTheNextAcknowledgement() {
        lease.renew(lease.now());
        advance(Duration.ofSeconds(20));
        assertThat(lease.held()).as("after a 20 s pause").isFalse();

        lease.renew(lease.now());

        assertThat(lease.held()).isTrue();
    }

    @Test
    void aLateAnswerToAnOlderHeartbeatDoesNotMoveTheLeaseBack() {
        long older = lease.now();
        advance(Duration.ofSeconds(1));
        lease.renew(lease.now());
        lease.renew(older);
        advance(Duration.ofMillis(3_500));

        assertThat(lease.held()).isTrue();
    }
}
