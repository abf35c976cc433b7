package io.sluice.operator.topic;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.sluice.operator.resource.ClusterMember;
import io.sluice.operator.resource.SluiceResource;

/** A topic of a Sluice cluster, named by the label {@code sluice.io/cluster}. */
@Group("sluice.io")
@Version("v1alpha1")
@ShortNames("st")
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".metadata.labels.sluice\\.io/cluster", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Topic", jsonPath = ".status.topicName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Partitions", jsonPath = ".status.partitions", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type=='Ready')].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type=='Ready')].reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Topic extends SluiceResource<TopicSpec, TopicStatus> implements ClusterMember {

    /** Names the topic's {@code Cluster}. */
    public static final String CLUSTER_LABEL = "sluice.io/cluster";
    /** Namespace of the topic's {@code Cluster} when it is not the topic's own. */
    public static final String CLUSTER_NAMESPACE_LABEL = "sluice.io/cluster-namespace";
    /** {@code "false"} detaches the resource from its topic: the operator neither changes nor deletes it. */
    public static final String MANAGED_ANNOTATION = "sluice.io/managed";

    /** The Kafka topic name: {@code spec.topicName}, or the resource's name. */
    public String topicName() {
        String name = spec().getTopicName();
        return name == null || name.isBlank() ? getMetadata().getName() : name;
    }

    /** The name of the {@code Cluster} this topic belongs to: its label, null when it has none. */
    @Override
    public String clusterName() {
        return getMetadata().getLabels() == null ? null : getMetadata().getLabels().get(CLUSTER_LABEL);
    }

    /** The namespace of the {@code Cluster} this topic belongs to: its label, or the topic's own namespace. */
    @Override
    public String clusterNamespace() {
        String label = getMetadata().getLabels() == null ? null
                : getMetadata().getLabels().get(CLUSTER_NAMESPACE_LABEL);
        return label == null || label.isBlank() ? getMetadata().getNamespace() : label;
    }

    public boolean managed() {
        return getMetadata().getAnnotations() == null
                || !"false".equalsIgnoreCase(getMetadata().getAnnotations().get(MANAGED_ANNOTATION));
    }

    @Override
    protected TopicSpec defaultSpec() {
        return new TopicSpec();
    }

    @Override
    protected TopicStatus newStatus() {
        return new TopicStatus();
    }
}
