package io.sluice.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Test;

class ClusterReuseOrderTest {

    @SluiceCluster
    static class SharingA {
    }

    @SluiceCluster(disruptive = true)
    static class DisruptingA {
    }

    static class WithoutCluster {
    }

    @SluiceCluster(coordinators = 3, disruptive = true)
    static class DisruptingB {
    }

    @SluiceCluster(brokers = 1, disruptive = true)
    static class DisruptingC {
    }

    @SluiceCluster(disruptive = true, fresh = true)
    static class RestartingD {
    }

    @Test
    void freshThenDisruptiveClassesOfTheSharedSizeComeLastAmongTheDisruptiveSoTheSharingClassesTakeOverTheirCluster() {
        List<ClassDescriptor> classes = new ArrayList<>(List.of(descriptor(SharingA.class),
                descriptor(DisruptingA.class), descriptor(WithoutCluster.class), descriptor(DisruptingB.class),
                descriptor(DisruptingC.class), descriptor(RestartingD.class)));

        new ClusterReuseOrder().orderClasses(context(classes));

        assertThat(classes).extracting(ClassDescriptor::getTestClass).containsExactly(DisruptingB.class,
                DisruptingC.class, RestartingD.class, DisruptingA.class, SharingA.class, WithoutCluster.class);
    }

    private static ClassOrdererContext context(List<ClassDescriptor> classes) {
        return new ClassOrdererContext() {
            @Override
            public List<? extends ClassDescriptor> getClassDescriptors() {
                return classes;
            }

            @Override
            public Optional<String> getConfigurationParameter(String key) {
                return Optional.empty();
            }
        };
    }

    private static ClassDescriptor descriptor(Class<?> testClass) {
        return new ClassDescriptor() {
            @Override
            public Class<?> getTestClass() {
                return testClass;
            }

            @Override
            public String getDisplayName() {
                return testClass.getSimpleName();
            }

            @Override
            public boolean isAnnotated(Class<? extends Annotation> type) {
                return testClass.isAnnotationPresent(type);
            }

            @Override
            public <A extends Annotation> Optional<A> findAnnotation(Class<A> type) {
                return Optional.ofNullable(testClass.getAnnotation(type));
            }

            @Override
            public <A extends Annotation> List<A> findRepeatableAnnotations(Class<A> type) {
                return List.of(testClass.getAnnotationsByType(type));
            }
        };
    }
}
