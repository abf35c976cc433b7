package io.sluice.testcluster.quarkus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.quarkus.test.common.WithTestResource;

/**
 * Gives a {@code @QuarkusTest} a real Sluice cluster of its own ({@link SluiceClusterResource}), started before the
 * application so that the application finds it: the gateway's address goes to the application as
 * {@link #bootstrapProperty()}, and the test reaches the cluster through a field annotated
 * {@link InjectSluiceCluster}.
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithSluiceCluster(brokers = 1, topics = &#64;WithSluiceCluster.Topic(name = "orders", partitions = 3))
 * class OrderShouterIT {
 *     &#64;InjectSluiceCluster
 *     TestCluster cluster;
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WithTestResource(SluiceClusterResource.class)
public @interface WithSluiceCluster {

    /** The number of brokers ({@code broker-1}…). */
    int brokers() default 3;

    /** The number of coordinator replicas: 1 ({@code coordinator}) or 3 ({@code coordinator-1}…). */
    int coordinators() default 1;

    /** The application's configuration property that gets the cluster's Kafka bootstrap address. */
    String bootstrapProperty() default "kafka.bootstrap.servers";

    /** The application's configuration property that gets the gateway's SASL_SSL address; none when empty. */
    String secureBootstrapProperty() default "";

    /** Topics created before the application starts, with the cluster's default replication factor. */
    Topic[] topics() default {};

    /** A topic the application expects to exist. */
    @interface Topic {
        String name();

        int partitions() default 1;
    }
}
