package io.sluice.testcluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real running Sluice cluster ({@link SluiceClusterExtension}).
 *
 * <p>
 * Classes that leave every member running share one cluster of their size for the whole run, and a cluster a
 * disruptive class had is made whole again and handed on; so no test may depend on a fresh cluster: each uses topic
 * and group names of its own. A class that kills, stops, starts or restarts members declares itself
 * {@link #disruptive()} and has a cluster to itself while it runs; the shared cluster refuses those calls.
 *
 * <pre>
 * &#64;SluiceCluster(brokers = 3)
 * class DataPathIT {
 *     static TestCluster cluster; // injected, as are KafkaClients and Admin fields and parameters
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SluiceClusterExtension.class)
public @interface SluiceCluster {

    /** The number of brokers ({@code broker-1}…). */
    int brokers() default 3;

    /** The number of coordinator replicas: 1 ({@code coordinator}) or 3 ({@code coordinator-1}…). */
    int coordinators() default 1;

    /**
     * The number of gateways ({@code gateway}, {@code gateway-2}…): more than one for tests of what any gateway must
     * serve alike. Clients are given the first.
     */
    int gateways() default 1;

    /**
     * Whether each member runs in a Linux network namespace of its own, at an address of its own on a bridge, as pods
     * do: the class can then cut a member off from every other member and from clients ({@link TestCluster#cut}), as
     * a network partition does. Needs root, as CI has.
     */
    boolean networkNamespaces() default false;

    /** Whether the class kills, stops, starts or restarts members: it then has a cluster to itself while it runs. */
    boolean disruptive() default false;

    /**
     * Whether the disruptive class needs a cluster no member of which was ever stopped or killed, one that has only
     * known a clean start (a full restart that must find everything as it was written). Such classes run before
     * the other disruptive classes of their size, so that asking for one rarely costs a start.
     */
    boolean fresh() default false;
}
