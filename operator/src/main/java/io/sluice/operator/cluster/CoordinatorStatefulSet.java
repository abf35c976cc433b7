package io.sluice.operator.cluster;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.JGroupsSettings;

/** The coordinators: 1 or 3 replicas sharing the cluster's metadata in a replicated, persisted cache. */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class CoordinatorStatefulSet extends CRUDKubernetesDependentResource<StatefulSet, Cluster> {

    static final String SERVICE = CoordinatorContract.SERVICE;

    public CoordinatorStatefulSet() {
        super(StatefulSet.class);
    }

    @Override
    protected StatefulSet desired(Cluster cluster, Context<Cluster> context) {
        CoordinatorsSpec coordinators = cluster.getSpec().getCoordinators();
        String domain = ClusterNames.headlessDomain(cluster, ClusterNames.coordinator(cluster));
        List<EnvVar> env = new ArrayList<>(ServiceContainers.podIdentity());
        env.add(ServiceContainers.env(CoordinatorContract.PORT.env(),
                Integer.toString(CoordinatorContract.KAFKA_PORT)));
        env.add(ServiceContainers.env(CoordinatorContract.ADVERTISED_HOST.env(), "$(POD_NAME)." + domain));
        env.add(ServiceContainers.env(CoordinatorContract.JGROUPS.bindAddress().env(), "$(POD_IP)"));
        env.add(ServiceContainers.env(CoordinatorContract.JGROUPS.bindPort().env(),
                Integer.toString(CoordinatorContract.JGROUPS_PORT)));
        env.add(ServiceContainers.env(CoordinatorContract.JGROUPS.dnsQuery().env(), domain + ".cluster.local"));
        return new StatefulSetBuilder()
                .withNewMetadata()
                .withName(ClusterNames.coordinator(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "coordinator"))
                .endMetadata()
                .withNewSpec()
                .withServiceName(ClusterNames.coordinator(cluster))
                .withReplicas(coordinators.getReplicas())
                // After a full stop the replicas' persisted state waits for all of them: none may wait for another.
                .withPodManagementPolicy("Parallel")
                .withNewSelector().withMatchLabels(ClusterNames.selector(cluster, "coordinator")).endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(ClusterNames.labels(cluster, "coordinator"))
                .addToAnnotations("sluice.io/config-hash", ClusterEnvironment.hash(ClusterEnvironment.of(cluster)))
                .endMetadata()
                .withNewSpec()
                .withNewSecurityContext().withFsGroup(ServiceContainers.IMAGE_USER).endSecurityContext()
                .addToContainers(ServiceContainers.container(cluster, SERVICE, coordinators.getJvmOptions(),
                        coordinators.getResources(), env, List.of(
                                ServiceContainers.port("kafka", CoordinatorContract.KAFKA_PORT),
                                ServiceContainers.port("jgroups", CoordinatorContract.JGROUPS_PORT),
                                ServiceContainers.port("jgroups-fd",
                                        CoordinatorContract.JGROUPS_PORT + JGroupsSettings.FAILURE_DETECTION_OFFSET)))
                        .addNewVolumeMount().withName(ServiceContainers.DATA_VOLUME)
                        .withMountPath(ServiceContainers.DATA_DIR).endVolumeMount()
                        .build())
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(ServiceContainers.dataClaim(coordinators.getStorage()))
                .endSpec()
                .build();
    }
}
