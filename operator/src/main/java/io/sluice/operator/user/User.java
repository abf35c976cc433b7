package io.sluice.operator.user;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.sluice.operator.resource.ClusterMember;
import io.sluice.operator.resource.SluiceResource;
import io.sluice.operator.topic.Topic;

/**
 * A user of a secured Sluice cluster, named by the label {@code sluice.io/cluster}: credentials, ACLs and quotas.
 */
@Group("sluice.io")
@Version("v1alpha1")
@ShortNames("su")
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".metadata.labels.sluice\\.io/cluster", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Authentication", jsonPath = ".spec.authentication.type", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type=='Ready')].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type=='Ready')].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class User extends SluiceResource<UserSpec, UserStatus> implements ClusterMember {

    /** The Kafka user name: the resource's name. */
    public String userName() {
        return getMetadata().getName();
    }

    /** The name of the user's {@code Cluster}: its label {@code sluice.io/cluster}, as a Topic's; null without. */
    @Override
    public String clusterName() {
        return getMetadata().getLabels() == null ? null : getMetadata().getLabels().get(Topic.CLUSTER_LABEL);
    }

    /** The namespace of the user's {@code Cluster}: its label {@code sluice.io/cluster-namespace}, or its own. */
    @Override
    public String clusterNamespace() {
        String label = getMetadata().getLabels() == null ? null
                : getMetadata().getLabels().get(Topic.CLUSTER_NAMESPACE_LABEL);
        return label == null || label.isBlank() ? getMetadata().getNamespace() : label;
    }

    /** Whether the user logs in with a certificate rather than a password. */
    public boolean certificateAuthentication() {
        return UserSpec.TLS.equals(spec().authenticationType());
    }

    /** The principal the gateway sees for this user, as ACLs name it. */
    public String principal() {
        return "User:" + principalName();
    }

    /** The principal's name, as Kafka's user quotas name the user: {@code CN=<user>} for a certificate. */
    public String principalName() {
        return certificateAuthentication() ? "CN=" + userName() : userName();
    }

    @Override
    protected UserSpec defaultSpec() {
        return new UserSpec();
    }

    @Override
    protected UserStatus newStatus() {
        return new UserStatus();
    }
}
