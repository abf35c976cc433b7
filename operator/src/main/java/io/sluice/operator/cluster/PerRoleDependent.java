package io.sluice.operator.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * One object of a kind for each of some roles, built alike from the role. The objects of that kind it does not build
 * (another dependent's, such as the gateway's own Service) are none of its business: it neither matches nor deletes
 * them.
 */
abstract class PerRoleDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, Cluster>
        implements KubernetesBulkDependentResource<R, Cluster> {

    private final List<Role> roles;

    PerRoleDependent(Class<R> type, List<Role> roles) {
        super(type);
        this.roles = roles;
    }

    /** The object of {@code role}. */
    protected abstract R build(Cluster cluster, Role role);

    @Override
    public Map<ResourceID, R> desiredResources(Cluster cluster, Context<Cluster> context) {
        return roles.stream().map(role -> build(cluster, role))
                .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
    }

    @Override
    public Map<ResourceID, R> getSecondaryResources(Cluster cluster, Context<Cluster> context) {
        Set<String> names = roles.stream().map(role -> role.objectName(cluster)).collect(Collectors.toSet());
        // Deduplicated: every dependent of this kind watches it, so each object is in several caches.
        return context.getSecondaryResourcesAsStream(resourceType(), true)
                .filter(object -> names.contains(object.getMetadata().getName()))
                .collect(Collectors.toMap(ResourceID::fromResource, Function.identity()));
    }
}
