package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.ServiceContract;

/**
 * The coordinators' headless Service: a stable DNS name per coordinator (the bootstrap list brokers and gateways
 * get) and the A records JGroups' DNS_PING discovers the replicas from, ready or not.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class CoordinatorService extends CRUDKubernetesDependentResource<Service, Cluster> {

    public CoordinatorService() {
        super(Service.class);
    }

    @Override
    protected Service desired(Cluster cluster, Context<Cluster> context) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(ClusterNames.coordinator(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "coordinator"))
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                // A starting coordinator must find the others before it can become ready.
                .withPublishNotReadyAddresses(true)
                .withSelector(ClusterNames.selector(cluster, "coordinator"))
                .addNewPort().withName("kafka").withPort(CoordinatorContract.KAFKA_PORT).endPort()
                .addNewPort().withName("http").withPort(ServiceContract.HTTP_PORT_DEFAULT).endPort()
                .addNewPort().withName("jgroups").withPort(CoordinatorContract.JGROUPS_PORT).endPort()
                .endSpec()
                .build();
    }
}
