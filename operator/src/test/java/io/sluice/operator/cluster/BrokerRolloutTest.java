package io.sluice.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;

class BrokerRolloutTest {

    private static final String HASH = "new";

    @Test
    void aNewStatefulSetStartsEveryBrokerAtOnce() {
        assertThat(BrokerRollout.next(3, HASH, Optional.empty(), () -> false)).isEqualTo(new BrokerRollout(3, 0));
    }

    @Test
    void aNewTemplateFirstHoldsEveryBrokerOnItsRevision() {
        StatefulSet running = statefulSet("old", 3, 0, 3, 3);

        assertThat(BrokerRollout.next(3, HASH, Optional.of(running), () -> true)).isEqualTo(new BrokerRollout(3, 3));
    }

    @Test
    void theRollReleasesOneOrdinalOnceEveryBrokerIsReadyAndTheStoreIsBalanced() {
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 3, 3, 3, 0)), () -> true))
                .isEqualTo(new BrokerRollout(3, 2));
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 3, 2, 3, 1)), () -> true))
                .isEqualTo(new BrokerRollout(3, 1));
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 3, 1, 3, 2)), () -> true))
                .isEqualTo(new BrokerRollout(3, 0));
    }

    @Test
    void theRollWaitsWhileTheStoreRebalances() {
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 3, 2, 3, 1)), () -> false))
                .isEqualTo(new BrokerRollout(3, 2));
    }

    @Test
    void theRollWaitsUntilTheRestartedBrokerIsReadyOnTheNewRevision() {
        AtomicInteger asked = new AtomicInteger();
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 3, 2, 2, 1)), () -> {
            asked.incrementAndGet();
            return true;
        })).isEqualTo(new BrokerRollout(3, 2));
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 3, 2, 3, 0)), () -> true))
                .isEqualTo(new BrokerRollout(3, 2));
        assertThat(asked).hasValue(0);
    }

    @Test
    void scalingDownRemovesOneBrokerAtATimeAfterTheStoreHasRebalanced() {
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 5, 0, 5, 5)), () -> true))
                .isEqualTo(new BrokerRollout(4, 0));
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 4, 0, 4, 4)), () -> false))
                .isEqualTo(new BrokerRollout(4, 0));
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 4, 0, 3, 4)), () -> true))
                .isEqualTo(new BrokerRollout(4, 0));
        assertThat(BrokerRollout.next(3, HASH, Optional.of(statefulSet(HASH, 4, 0, 4, 4)), () -> true))
                .isEqualTo(new BrokerRollout(3, 0));
    }

    @Test
    void scalingUpAddsEveryNewBrokerAtOnce() {
        assertThat(BrokerRollout.next(5, HASH, Optional.of(statefulSet(HASH, 3, 0, 3, 3)), () -> false))
                .isEqualTo(new BrokerRollout(5, 0));
    }

    @Test
    void aStatusOfAnOlderGenerationIsNotTrusted() {
        StatefulSet set = statefulSet(HASH, 3, 2, 3, 1);
        set.getStatus().setObservedGeneration(1L);
        set.getMetadata().setGeneration(2L);

        assertThat(BrokerRollout.next(3, HASH, Optional.of(set), () -> true)).isEqualTo(new BrokerRollout(3, 2));
    }

    private static StatefulSet statefulSet(String hash, int replicas, int partition, int ready, int updated) {
        return new StatefulSetBuilder()
                .withNewMetadata().withName("s-broker").withGeneration(7L)
                .addToAnnotations(BrokerRollout.TEMPLATE_HASH, hash).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(partition)
                .endRollingUpdate().endUpdateStrategy()
                .endSpec()
                .withNewStatus().withObservedGeneration(7L).withReplicas(replicas).withReadyReplicas(ready)
                .withUpdatedReplicas(updated).endStatus()
                .build();
    }
}
