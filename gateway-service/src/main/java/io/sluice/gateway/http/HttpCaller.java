package io.sluice.gateway.http;

import java.util.List;
import java.util.function.Predicate;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

import io.sluice.gateway.quota.QuotaAccount;
import io.sluice.gateway.quota.Throttles;
import io.sluice.gateway.security.AuthorizedViews;
import io.sluice.gateway.security.RequestAuthorizer;

/**
 * Who an HTTP request comes from, and what the ACLs let it do. Each path is allowed what the Kafka requests it sends
 * would be allowed on a Kafka listener ({@link RequestAuthorizer}'s rules, not a second table): produce needs WRITE
 * on the topic, reads READ, deleting a topic what DeleteTopics needs, and so on. A refusal is a 403.
 * <p>
 * Its quotas are those of a Kafka client of the same user with no client id ({@link #CLIENT_ID}): the user's own and
 * the {@code <default>} client id's, counted with the user's Kafka clients on this gateway. Without HTTP logins the
 * user is {@code ANONYMOUS}, as on a Kafka listener without SASL.
 */
final class HttpCaller {

    /** The client id HTTP callers' quotas are looked up with: none, since HTTP has no client id to give. */
    static final String CLIENT_ID = "";

    private final KafkaPrincipal principal;
    private final RequestAuthorizer access;
    private final QuotaAccount quota;

    /** @param access the principal's ACLs; null when authorization is off and everything is allowed */
    HttpCaller(KafkaPrincipal principal, RequestAuthorizer access, Throttles throttles) {
        this.principal = principal;
        this.access = access;
        this.quota = throttles.account(principal.getName(), CLIENT_ID);
    }

    /** What the caller produces, reads and creates is held to: its user's quotas. */
    QuotaAccount quota() {
        return quota;
    }

    /** Produce: WRITE on the topic. */
    void produces(String topic) {
        data(ApiKeys.PRODUCE, AclOperation.WRITE, topic);
    }

    /** Read records, as a stream or from an offset: READ on the topic. */
    void reads(String topic) {
        data(ApiKeys.FETCH, AclOperation.READ, topic);
    }

    /** Partitions, leaders and offsets: DESCRIBE on the topic. */
    void describes(String topic) {
        data(ApiKeys.LIST_OFFSETS, AclOperation.DESCRIBE, topic);
    }

    /** The topics a listing shows: those the caller may describe, as Metadata answers. */
    Predicate<String> listedTopics() {
        return access == null ? topic -> true : AuthorizedViews.listedTopics(access);
    }

    /** The groups a listing shows, as ListGroups answers. */
    Predicate<String> listedGroups() {
        return access == null ? group -> true : AuthorizedViews.listedGroups(access);
    }

    void createsTopic(String topic) {
        CreateTopicsRequestData request = new CreateTopicsRequestData();
        request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(topic));
        require(ApiKeys.CREATE_TOPICS, request, "create topic " + topic);
    }

    void deletesTopic(String topic) {
        require(ApiKeys.DELETE_TOPICS, new DeleteTopicsRequestData().setTopicNames(List.of(topic)),
                "delete topic " + topic);
    }

    void describesConfigs(String topic) {
        require(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsRequestData().setResources(List.of(
                new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(topic))),
                "describe the configs of topic " + topic);
    }

    void altersConfigs(String topic) {
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
        request.resources().add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(topic));
        require(ApiKeys.INCREMENTAL_ALTER_CONFIGS, request, "alter the configs of topic " + topic);
    }

    void describesGroup(String group) {
        require(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsRequestData().setGroups(List.of(group)),
                "describe group " + group);
    }

    /** Committing a group's offsets of topics, as OffsetCommit (and Admin's alterConsumerGroupOffsets) does. */
    void commits(String group, List<String> topics) {
        require(ApiKeys.OFFSET_COMMIT, new OffsetCommitRequestData().setGroupId(group).setTopics(topics.stream()
                .map(t -> new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(t)).toList()),
                "commit offsets of " + String.join(", ", topics) + " for group " + group);
    }

    void deletesGroup(String group) {
        require(ApiKeys.DELETE_GROUPS, new DeleteGroupsRequestData().setGroupsNames(List.of(group)),
                "delete group " + group);
    }

    /** Being a consumer instance in a group, as a Kafka consumer joins it: READ on the group. */
    void consumesIn(String group) {
        require(ApiKeys.JOIN_GROUP, new JoinGroupRequestData().setGroupId(group), "consume in group " + group);
    }

    private void data(ApiKeys api, AclOperation operation, String topic) {
        Predicate<String> allowed = access == null ? null : access.dataTopics(api);
        if (allowed != null && !allowed.test(topic)) {
            throw forbidden(operation + " topic " + topic);
        }
    }

    /** Refuses what the Kafka request would be refused; {@code what} says it in the client's words. */
    private void require(ApiKeys api, ApiMessage request, String what) {
        Errors refusal = access == null ? null : access.refusal(api, request);
        if (refusal != null) {
            throw forbidden(what + " (" + refusal.exception().getClass().getSimpleName() + ")");
        }
    }

    private HttpError forbidden(String what) {
        return new HttpError(403, principal + " may not " + what);
    }

}
