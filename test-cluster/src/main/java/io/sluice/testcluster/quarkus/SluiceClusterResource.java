package io.sluice.testcluster.quarkus;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import io.sluice.testcluster.ClusterSpec;
import io.sluice.testcluster.TestCluster;

/**
 * The Quarkus test resource behind {@link WithSluiceCluster}: a {@link TestCluster} the test owns, started before the
 * application and closed after it. When a test failed, the members' logs are reported as the JUnit extension reports
 * them, under the test class' name.
 */
public final class SluiceClusterResource implements QuarkusTestResourceConfigurableLifecycleManager<WithSluiceCluster> {

    private WithSluiceCluster config;
    private Context context;
    private TestCluster cluster;
    private String testClass = SluiceClusterResource.class.getSimpleName();

    @Override
    public void init(WithSluiceCluster config) {
        this.config = config;
    }

    @Override
    public void setContext(Context context) {
        this.context = context;
    }

    @Override
    public Map<String, String> start() {
        cluster = TestCluster.startOwned(new ClusterSpec(config.brokers(), config.coordinators(), 1), "quarkus-test");
        try {
            createTopics();
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return config.secureBootstrapProperty().isEmpty() ? Map.of(config.bootstrapProperty(), cluster.bootstrapServers())
                : Map.of(config.bootstrapProperty(), cluster.bootstrapServers(), config.secureBootstrapProperty(),
                        cluster.secureBootstrapServers());
    }

    private void createTopics() {
        if (config.topics().length == 0) {
            return;
        }
        try (Admin admin = cluster.clients().admin()) {
            admin.createTopics(Arrays.stream(config.topics())
                    .map(t -> new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()))
                    .toList()).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics the application expects", e);
        }
    }

    @Override
    public void inject(Object testInstance) {
        testClass = testInstance.getClass().getSimpleName();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(cluster, new TestInjector.AnnotatedAndMatchesType(InjectSluiceCluster.class,
                TestCluster.class));
    }

    @Override
    public void stop() {
        if (cluster == null) {
            return;
        }
        if (context != null && context.getTestStatus().isTestFailed()) {
            cluster.reportFailure(testClass, "a test of " + testClass + " failed");
        }
        cluster.close();
    }
}
