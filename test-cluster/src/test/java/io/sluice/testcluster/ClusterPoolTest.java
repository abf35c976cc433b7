package io.sluice.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.cli.local.ClusterLayout;
import io.sluice.cli.local.ClusterStartException;
import io.sluice.cli.local.LocalCluster;

/** The pool's bookkeeping, on clusters whose members cannot start (no service is built under the home it is given). */
class ClusterPoolTest {

    @TempDir
    Path unbuiltHome;

    private String home;

    @BeforeEach
    void pointAtUnbuiltHome() {
        home = System.getProperty("sluice.home");
        System.setProperty("sluice.home", unbuiltHome.toString());
    }

    @AfterEach
    void restoreHome() {
        if (home == null) {
            System.clearProperty("sluice.home");
        } else {
            System.setProperty("sluice.home", home);
        }
    }

    @Test
    void aClusterThatCannotBeMadeWholeAgainIsClosedNotHandedOn() throws Exception {
        Path dataDir = Files.createDirectory(unbuiltHome.resolve("data"));
        TestCluster broken = new TestCluster("broken", new ClusterSpec(1, 1, 1), dataDir,
                new LocalCluster(unbuiltHome, ClusterLayout.onFreePorts(dataDir, 1, 1, 1)));
        try (ClusterPool pool = new ClusterPool()) {
            pool.giveBack(broken);

            assertThat(dataDir).as("closed: its data deleted").doesNotExist();
            assertThatThrownBy(() -> pool.lend(new ClusterSpec(1, 1, 1), false)).as("a new cluster is started instead")
                    .isInstanceOf(ClusterStartException.class).hasMessageContaining("missing");
        }
    }
}
