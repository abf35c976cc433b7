package io.sluice.testcluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.cli.local.ClusterLayout;
import io.sluice.cli.local.LocalCluster;

class TestClusterTest {

    @TempDir
    Path dir;

    @Test
    void aSharedClusterRefusesEveryCallThatDisruptsIt() {
        TestCluster shared = notStarted(true);

        for (ThrowingCallable disruption : List.<ThrowingCallable> of(() -> shared.kill("broker-1"),
                () -> shared.stop("gateway"), () -> shared.start("coordinator"), shared::restart)) {
            assertThatThrownBy(disruption).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refused: cluster test-cluster is shared")
                    .hasMessageEndingWith(
                            "declares @SluiceCluster(disruptive = true) and gets a cluster to itself while it runs.");
        }
    }

    @Test
    void anOwnedClusterPassesTheCallsOnToItsMembers() {
        TestCluster owned = notStarted(false);

        assertThatThrownBy(() -> owned.kill("broker-9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no member broker-9 in this cluster");
    }

    private TestCluster notStarted(boolean shared) {
        ClusterLayout layout = ClusterLayout.standard(dir, 1, 1, 9092, 8080, 0);
        TestCluster cluster = new TestCluster("test-cluster", new ClusterSpec(1, 1, 1), dir, new LocalCluster(dir, layout));
        if (shared) {
            cluster.share();
        }
        return cluster;
    }
}
