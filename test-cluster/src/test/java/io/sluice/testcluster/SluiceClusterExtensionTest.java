package io.sluice.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import io.sluice.cli.local.ClusterStartException;

class SluiceClusterExtensionTest {

    @SluiceCluster
    static class FirstSharing {
        @Test
        void test() {
        }
    }

    @SluiceCluster
    static class SecondSharing {
        @Test
        void test() {
        }
    }

    @TempDir
    Path unbuiltHome;

    @Test
    void aSharedClusterThatDidNotStartIsNotStartedAgainForEachClass() {
        String home = System.getProperty("sluice.home");
        System.setProperty("sluice.home", unbuiltHome.toString());
        List<Throwable> failures;
        try {
            failures = classFailures(FirstSharing.class, SecondSharing.class);
        } finally {
            if (home == null) {
                System.clearProperty("sluice.home");
            } else {
                System.setProperty("sluice.home", home);
            }
        }

        assertThat(failures).hasSize(2).allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the shared cluster (3 brokers, 1 coordinator) did not start in this run")
                .cause().isInstanceOf(ClusterStartException.class).hasMessageContaining("missing"));
        assertThat(failures.get(1).getCause()).as("one start, its failure kept").isSameAs(failures.get(0).getCause());
    }

    /** Runs the classes in one launcher session, as a build runs a module's tests; the failures of the classes. */
    private static List<Throwable> classFailures(Class<?>... testClasses) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(Arrays.stream(testClasses).map(DiscoverySelectors::selectClass).toList()).build();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.getSource().filter(ClassSource.class::isInstance).isPresent()) {
                    result.getThrowable().ifPresent(failures::add);
                }
            }
        });
        return failures;
    }
}
