package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** At most one broker pod evicted at a time by node drains and other voluntary disruptions. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class BrokerDisruptionBudget extends CRUDKubernetesDependentResource<PodDisruptionBudget, Cluster> {

    public BrokerDisruptionBudget() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(Cluster cluster, Context<Cluster> context) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(ClusterNames.broker(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "broker"))
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(ClusterNames.selector(cluster, "broker")).endSelector()
                .endSpec()
                .build();
    }
}
