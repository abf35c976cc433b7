package io.sluice.testcluster;

import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the disruptive {@link SluiceCluster} classes, each on a cluster of its own, before the classes that share
 * clusters, in name order within each kind: a shared cluster starts when the first sharing class needs it and stays
 * up until the run ends, so it never runs beside another test cluster on the machine. A module chooses it with
 * {@code junit.jupiter.testclass.order.default} in its {@code junit-platform.properties}.
 */
public final class DisruptiveClassesFirst implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing((ClassDescriptor d) -> !disruptive(d))
                .thenComparing(d -> d.getTestClass().getName()));
    }

    private static boolean disruptive(ClassDescriptor descriptor) {
        return descriptor.findAnnotation(SluiceCluster.class).map(SluiceCluster::disruptive).orElse(false);
    }
}
