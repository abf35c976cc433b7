package io.sluice.operator.topic;

import io.sluice.operator.resource.ObservedStatus;

/** What the operator last saw of a {@link Topic} in its cluster. */
public class TopicStatus extends ObservedStatus {

    private String topicName;
    private String topicId;
    private Integer partitions;
    private Integer replicas;

    public String getTopicName() {
        return topicName;
    }

    public void setTopicName(String topicName) {
        this.topicName = topicName;
    }

    public String getTopicId() {
        return topicId;
    }

    public void setTopicId(String topicId) {
        this.topicId = topicId;
    }

    public Integer getPartitions() {
        return partitions;
    }

    public void setPartitions(Integer partitions) {
        this.partitions = partitions;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }
}
