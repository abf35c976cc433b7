package io.sluice.testcluster;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Orders {@link SluiceCluster} classes so that each cluster serves as many of them as it can, and never two run side by
 * side: the disruptive classes first (those of a size no sharing class uses, then those that need a fresh cluster,
 * then the others), then the classes that share, each kind in name order. The cluster the last disruptive classes
 * leave whole is then the one the sharing classes share. Every cluster of a size gets as many gateways as the most
 * that a sharing class of that size asks for, so that one cluster serves them all. A module chooses this order with
 * {@code junit.jupiter.testclass.order.default} in its {@code junit-platform.properties}.
 */
public final class ClusterReuseOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        Set<ClusterSpec> sharing = context.getClassDescriptors().stream().map(ClusterReuseOrder::annotation)
                .flatMap(Optional::stream).filter(a -> !a.disruptive()).map(ClusterSpec::of)
                .collect(Collectors.toSet());
        ClusterPool.planSharing(sharing);
        Set<ClusterSpec> shared = sharing.stream().map(ClusterPool::planned).collect(Collectors.toSet());
        context.getClassDescriptors().sort(Comparator.comparingInt((ClassDescriptor d) -> rank(d, shared))
                .thenComparing(d -> d.getTestClass().getName()));
    }

    private static int rank(ClassDescriptor descriptor, Set<ClusterSpec> shared) {
        Optional<SluiceCluster> annotation = annotation(descriptor);
        if (annotation.isEmpty()) {
            return 4;
        }
        if (!annotation.get().disruptive()) {
            return 3;
        }
        if (!shared.contains(ClusterPool.planned(ClusterSpec.of(annotation.get())))) {
            return 0;
        }
        return annotation.get().fresh() ? 1 : 2;
    }

    private static Optional<SluiceCluster> annotation(ClassDescriptor descriptor) {
        return descriptor.findAnnotation(SluiceCluster.class);
    }
}
