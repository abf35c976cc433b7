package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The coordinators: 1 or 3 replicas sharing the cluster's metadata in a replicated, persisted cache. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class CoordinatorStatefulSet extends CRUDKubernetesDependentResource<StatefulSet, Cluster> {

    public CoordinatorStatefulSet() {
        super(StatefulSet.class);
    }

    @Override
    protected StatefulSet desired(Cluster cluster, Context<Cluster> context) {
        CoordinatorsSpec coordinators = cluster.spec().getCoordinators();
        return ReplicatedPods.statefulSet(cluster, Role.COORDINATOR, coordinators, podTemplate(cluster))
                .editSpec().withReplicas(coordinators.getReplicas()).endSpec()
                .build();
    }

    /** The coordinators' pod template; {@link ContainerPlan} runs its containers without Kubernetes. */
    static PodTemplateSpec podTemplate(Cluster cluster) {
        return ReplicatedPods.template(cluster, Role.COORDINATOR,
                ReplicatedPods.container(cluster, Role.COORDINATOR)
                        .addAllToEnv(ClusterSecurity.coordinatorEnv(cluster)).build())
                .build();
    }
}
