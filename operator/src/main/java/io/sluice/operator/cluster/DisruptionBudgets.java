package io.sluice.operator.cluster;

import java.util.List;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** At most one pod of each role evicted at a time by node drains and other voluntary disruptions. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class DisruptionBudgets extends PerRoleDependent<PodDisruptionBudget> {

    public DisruptionBudgets() {
        super(PodDisruptionBudget.class, List.of(Role.values()));
    }

    @Override
    protected PodDisruptionBudget build(Cluster cluster, Role role) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(role.objectMeta(cluster))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(role.selector(cluster)).endSelector()
                .endSpec()
                .build();
    }
}
