package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.sluice.protocol.contract.ServiceContract;

/**
 * The headless Service of each replicated role: a stable DNS name per pod (the address it advertises, and the
 * coordinators' bootstrap list) and the A records JGroups' DNS_PING discovers the members from, ready or not.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class HeadlessServices extends PerRoleDependent<Service> {

    public HeadlessServices() {
        super(Service.class, Role.replicated());
    }

    @Override
    protected Service build(Cluster cluster, Role role) {
        return new ServiceBuilder()
                .withMetadata(role.objectMeta(cluster))
                .withNewSpec()
                .withClusterIP("None")
                // A starting member must find the others before it can become ready.
                .withPublishNotReadyAddresses(true)
                .withSelector(role.selector(cluster))
                .addNewPort().withName("kafka").withPort(role.listener().port()).endPort()
                .addNewPort().withName("http").withPort(ServiceContract.HTTP_PORT_DEFAULT).endPort()
                .addNewPort().withName("jgroups").withPort(role.peers().port()).endPort()
                .endSpec()
                .build();
    }
}
