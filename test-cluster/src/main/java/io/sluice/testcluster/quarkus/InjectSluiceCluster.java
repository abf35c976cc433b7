package io.sluice.testcluster.quarkus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks the field of a {@link WithSluiceCluster} test that gets its {@link io.sluice.testcluster.TestCluster}. */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InjectSluiceCluster {
}
