package io.sluice.testcluster;

import java.lang.reflect.Field;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Hands a test class annotated {@link SluiceCluster} a running cluster and clients of it, from the run's
 * {@link ClusterPool} (kept in the root context's store, closed when the run ends). A class that leaves every member
 * running gets the cluster of its size that such classes share; a disruptive class gets one to itself and gives it
 * back, whole again, for the next class.
 *
 * <p>
 * Fields (static ones before all tests, instance ones before each) and parameters of type {@link TestCluster},
 * {@link KafkaClients} and {@link Admin} are injected. An injected {@code Admin} is closed at the end of the scope it
 * was made for: the class for a static field or a {@code @BeforeAll} parameter, the test otherwise.
 *
 * <p>
 * When a test fails, or the class fails around its tests, the tail of every member's log is printed and the whole
 * logs are copied to {@code target/cluster-logs/<test class>/}.
 */
public final class SluiceClusterExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver, TestWatcher {

    private static final Namespace NAMESPACE = Namespace.create(SluiceClusterExtension.class);

    /** The cluster of the class, under a type JUnit does not close (a shared cluster outlives the class). */
    private record ClassCluster(TestCluster cluster) {
    }

    /** A cluster lent to a disruptive class, given back to the pool when the class' store closes (after it ran). */
    private record Lent(ClusterPool pool, TestCluster cluster) implements AutoCloseable {
        @Override
        public void close() {
            pool.giveBack(cluster);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        SluiceCluster annotation = AnnotationSupport
                .findAnnotation(testClass, SluiceCluster.class, context.getEnclosingTestClasses())
                .orElseThrow(() -> new ExtensionConfigurationException(
                        testClass.getName() + " uses " + SluiceClusterExtension.class.getSimpleName()
                                + " without @" + SluiceCluster.class.getSimpleName()));
        ClusterSpec spec = ClusterSpec.of(annotation);
        ClusterPool pool = context.getRoot().getStore(NAMESPACE).computeIfAbsent(ClusterPool.class,
                type -> new ClusterPool(), ClusterPool.class);
        TestCluster cluster;
        if (annotation.disruptive()) {
            cluster = pool.lend(spec, annotation.fresh());
            context.getStore(NAMESPACE).put(Lent.class, new Lent(pool, cluster));
        } else {
            cluster = pool.shared(spec);
        }
        context.getStore(NAMESPACE).put(ClassCluster.class, new ClassCluster(cluster));
        inject(context, testClass, null, ModifierSupport::isStatic);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            inject(context, instance.getClass(), instance, ModifierSupport::isNotStatic);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String method = context.getRequiredTestMethod().getName();
        String test = context.getDisplayName().startsWith(method) ? context.getDisplayName()
                : method + " " + context.getDisplayName();
        classCluster(context).ifPresent(cluster -> cluster.reportFailure(context.getRequiredTestClass().getSimpleName(),
                test + " failed"));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            classCluster(context).ifPresent(cluster -> cluster.reportFailure(
                    context.getRequiredTestClass().getSimpleName(), context.getDisplayName() + " failed"));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return injectable(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return valueOf(parameter.getParameter().getType(), context);
    }

    private static boolean injectable(Class<?> type) {
        return type == TestCluster.class || type == KafkaClients.class || type == Admin.class;
    }

    /** The cluster, its clients, or an Admin client closed with {@code context}. */
    private static Object valueOf(Class<?> type, ExtensionContext context) {
        TestCluster cluster = classCluster(context).orElseThrow(() -> new ExtensionConfigurationException(
                "no Sluice cluster for " + context.getDisplayName() + ": is its class annotated @SluiceCluster?"));
        if (type == TestCluster.class) {
            return cluster;
        }
        if (type == KafkaClients.class) {
            return cluster.clients();
        }
        Admin admin = cluster.clients().admin();
        context.getStore(NAMESPACE).put(admin, admin);
        return admin;
    }

    private static void inject(ExtensionContext context, Class<?> type, Object instance, Predicate<Field> scope) {
        for (Field field : ReflectionSupport.findFields(type,
                scope.and(ModifierSupport::isNotFinal).and(f -> injectable(f.getType())),
                HierarchyTraversalMode.TOP_DOWN)) {
            try {
                ReflectionSupport.makeAccessible(field).set(instance, valueOf(field.getType(), context));
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("cannot inject " + field, e);
            }
        }
    }

    private static Optional<TestCluster> classCluster(ExtensionContext context) {
        Store store = context.getStore(NAMESPACE);
        return Optional.ofNullable(store.get(ClassCluster.class, ClassCluster.class)).map(ClassCluster::cluster);
    }
}
