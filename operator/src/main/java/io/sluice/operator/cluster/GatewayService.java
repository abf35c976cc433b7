package io.sluice.operator.cluster;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The gateway Service: the Kafka and HTTP address of the cluster (and HTTPS when secured), of the type the spec asks
 * for.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ClusterNames.MANAGED_SELECTOR))
public class GatewayService extends CRUDKubernetesDependentResource<Service, Cluster> {

    public GatewayService() {
        super(Service.class);
    }

    @Override
    protected Service desired(Cluster cluster, Context<Cluster> context) {
        GatewaysSpec gateways = cluster.spec().getGateways();
        return new ServiceBuilder()
                .withMetadata(Role.GATEWAY.objectMeta(cluster))
                .withNewSpec()
                .withType(gateways.getServiceType().name())
                .withSelector(Role.GATEWAY.selector(cluster))
                .addNewPort().withName("kafka").withPort(gateways.getKafkaPort())
                .withTargetPort(new IntOrString("kafka")).endPort()
                .addNewPort().withName("http").withPort(gateways.getHttpPort())
                .withTargetPort(new IntOrString("http")).endPort()
                .addAllToPorts(ClusterSecurity.gatewayServicePorts(cluster))
                .endSpec()
                .build();
    }
}
