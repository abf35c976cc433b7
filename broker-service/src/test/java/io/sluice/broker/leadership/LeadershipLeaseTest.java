package io.sluice.broker.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LeadershipLeaseTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final LeadershipLease lease = new LeadershipLease(Duration.ofSeconds(2), clock::get);

    /** Time passes with the ticker running. */
    private void run(Duration d) {
        for (long ms = 0; ms < d.toMillis(); ms += 100) {
            clock.addAndGet(Duration.ofMillis(100).toNanos());
            lease.tick();
        }
    }

    /** Time passes with the whole process paused. */
    private void pause(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void noLeaseBeforeTheCoordinatorAcknowledgedAnything() {
        run(Duration.ofSeconds(1));
        assertThat(lease.held()).isFalse();
    }

    @Test
    void leaseIsKeptWhileTheCoordinatorIsAwayAndThisBrokerRuns() {
        lease.renew(lease.now());
        run(Duration.ofSeconds(30));

        assertThat(lease.held()).isTrue();
    }

    @Test
    void aPauseEndsTheLeaseAtOnceEvenBeforeTheTickerNoticesIt() {
        lease.renew(lease.now());
        pause(Duration.ofSeconds(20));

        assertThat(lease.held()).as("woken, ticker not yet run").isFalse();
        run(Duration.ofSeconds(1));
        assertThat(lease.held()).as("ticker ran, no heartbeat since").isFalse();
    }

    @Test
    void onlyAHeartbeatSentAfterThePauseRenewsTheLease() {
        lease.renew(lease.now());
        long sentBefore = lease.now();
        pause(Duration.ofSeconds(20));
        run(Duration.ofMillis(200));

        lease.renew(sentBefore);
        assertThat(lease.held()).as("answer to a heartbeat sent before the pause").isFalse();

        lease.renew(lease.now());
        assertThat(lease.held()).isTrue();
    }

    @Test
    void aShortHiccupIsNoStall() {
        lease.renew(lease.now());
        pause(Duration.ofMillis(1_500));
        run(Duration.ofMillis(100));

        assertThat(lease.held()).isTrue();
    }
}
