package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.contract.ServiceContract;

/**
 * The brokers' headless Service: a stable DNS name per broker pod (the address it advertises) and the A records
 * JGroups' DNS_PING discovers the store's members from, ready or not.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class BrokerService extends CRUDKubernetesDependentResource<Service, Cluster> {

    public BrokerService() {
        super(Service.class);
    }

    @Override
    protected Service desired(Cluster cluster, Context<Cluster> context) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(ClusterNames.broker(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(ClusterNames.labels(cluster, "broker"))
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                // A starting broker must find the others before it can become ready.
                .withPublishNotReadyAddresses(true)
                .withSelector(ClusterNames.selector(cluster, "broker"))
                .addNewPort().withName("kafka").withPort(BrokerContract.KAFKA_PORT).endPort()
                .addNewPort().withName("http").withPort(ServiceContract.HTTP_PORT_DEFAULT).endPort()
                .addNewPort().withName("jgroups").withPort(BrokerContract.JGROUPS_PORT).endPort()
                .endSpec()
                .build();
    }
}
