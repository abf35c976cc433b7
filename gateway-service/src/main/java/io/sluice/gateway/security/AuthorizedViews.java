package io.sluice.gateway.security;

import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Metadata, ListGroups, OffsetFetch, ListTransactions and DescribeTransactions as Kafka's brokers answer them under
 * ACLs: only topics, groups and transactional ids the principal may DESCRIBE are listed; a topic asked for by name that it may
 * not describe is answered TOPIC_AUTHORIZATION_FAILED,
 * whether or not it exists, and is never auto-created for a principal that may not CREATE it.
 */
public final class AuthorizedViews {

    private AuthorizedViews() {
    }

    /** The request with only the named topics the principal may describe, auto-creating only what it may create. */
    public static MetadataRequestData describable(MetadataRequestData request, RequestAuthorizer access,
            Function<Uuid, String> topicNames) {
        if (request.topics() == null || request.topics().isEmpty()) {
            return request;
        }
        MetadataRequestData allowed = request.duplicate();
        allowed.topics().clear();
        boolean createsAny = access.authorizes(AclOperation.CREATE, ResourceType.CLUSTER, RequestAuthorizer.CLUSTER);
        boolean mayCreate = true;
        for (MetadataRequestTopic topic : request.topics()) {
            String name = topic.name() != null ? topic.name() : topicNames.apply(topic.topicId());
            if (name == null || access.authorizes(AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
                allowed.topics().add(topic.duplicate());
                mayCreate &= createsAny || name == null
                        || access.authorizes(AclOperation.CREATE, ResourceType.TOPIC, name);
            }
        }
        return allowed.setAllowAutoTopicCreation(request.allowAutoTopicCreation() && mayCreate);
    }

    /** The answer without what the principal may not describe, and with the refused names it asked for. */
    public static ApiMessage filter(MetadataRequestData request, MetadataResponseData answer,
            RequestAuthorizer access) {
        Predicate<String> listed = listedTopics(access);
        answer.topics().removeIf(t -> t.name() != null && !listed.test(t.name()));
        if (request.topics() != null) {
            for (MetadataRequestTopic topic : request.topics()) {
                if (topic.name() != null && !access.authorizes(AclOperation.DESCRIBE, ResourceType.TOPIC,
                        topic.name())) {
                    answer.topics().add(new MetadataResponseTopic().setName(topic.name())
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                }
            }
        }
        return answer;
    }

    /**
     * Committed offsets as Kafka answers them under ACLs: of every topic of the group, only those the principal may
     * describe; a topic asked for by name that it may not describe is answered TOPIC_AUTHORIZATION_FAILED on each of
     * its partitions, without its offsets.
     */
    public static ApiMessage filter(OffsetFetchRequestData request, OffsetFetchResponseData answer,
            RequestAuthorizer access, Function<Uuid, String> topicNames) {
        Predicate<String> listed = listedTopics(access);
        boolean everyTopic = request.groups().isEmpty() ? request.topics() == null
                : request.groups().stream().allMatch(g -> g.topics() == null);
        answer.topics().removeIf(t -> everyTopic && !listed.test(t.name()));
        answer.topics().stream().filter(t -> !listed.test(t.name())).flatMap(t -> t.partitions().stream())
                .forEach(p -> p.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("")
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
        for (OffsetFetchResponseData.OffsetFetchResponseGroup group : answer.groups()) {
            Predicate<OffsetFetchResponseData.OffsetFetchResponseTopics> hidden = t -> !listed.test(
                    t.name() != null && !t.name().isEmpty() ? t.name() : topicNames.apply(t.topicId()));
            group.topics().removeIf(t -> everyTopic && hidden.test(t));
            group.topics().stream().filter(hidden).flatMap(t -> t.partitions().stream())
                    .forEach(p -> p.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("")
                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
        }
        return answer;
    }

    /** Every group, to who may describe the cluster; else the groups it may describe. */
    public static ApiMessage filter(ListGroupsResponseData answer, RequestAuthorizer access) {
        Predicate<String> listed = listedGroups(access);
        answer.groups().removeIf(g -> !listed.test(g.groupId()));
        return answer;
    }

    /** ListTransactions shows only the transactional ids the principal may describe, as Kafka's brokers do. */
    public static ApiMessage filter(ListTransactionsResponseData answer, RequestAuthorizer access) {
        answer.transactionStates().removeIf(
                t -> !access.authorizes(AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, t.transactionalId()));
        return answer;
    }

    /** DescribeTransactions shows only the topics of a transaction the principal may describe, as Kafka does. */
    public static ApiMessage filter(DescribeTransactionsResponseData answer, RequestAuthorizer access) {
        answer.transactionStates().forEach(t -> t.topics()
                .removeIf(topic -> !access.authorizes(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.topic())));
        return answer;
    }

    /** The groups a listing shows the principal: every one if it may describe the cluster. */
    public static Predicate<String> listedGroups(RequestAuthorizer access) {
        if (access.authorizes(AclOperation.DESCRIBE, ResourceType.CLUSTER, RequestAuthorizer.CLUSTER)) {
            return group -> true;
        }
        return group -> access.authorizes(AclOperation.DESCRIBE, ResourceType.GROUP, group);
    }

    /** The topics a listing shows the principal: those it may describe (none whose name is unknown). */
    public static Predicate<String> listedTopics(RequestAuthorizer access) {
        return topic -> topic != null && access.authorizes(AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
    }
}
