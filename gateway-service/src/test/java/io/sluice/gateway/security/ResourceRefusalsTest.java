package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.SecurityFeed.Acl;

/** Requests Kafka authorizes resource by resource: the refused ones are answered apart, the rest forwarded. */
class ResourceRefusalsTest {

    private static final RequestAuthorizer ALICE = new RequestAuthorizer(new Authorizer(Set.of(), List.of(
            new Acl("User:alice", "*", "TOPIC", "alice-", "PREFIXED", "ALL", "ALLOW"),
            new Acl("User:alice", "*", "GROUP", "alice-", "PREFIXED", "ALL", "ALLOW"))),
            new KafkaPrincipal("User", "alice"), "10.0.0.7", id -> null);

    @Test
    void theTopicsItMayCreateAreForwardedAndTheOthersRefused() {
        CreateTopicsRequestData request = new CreateTopicsRequestData();
        request.topics().add(new CreatableTopic().setName("alice-orders"));
        request.topics().add(new CreatableTopic().setName("payroll"));

        ResourceRefusals.Split split = ResourceRefusals.split(ApiKeys.CREATE_TOPICS, request, ALICE, id -> null)
                .orElseThrow();
        CreateTopicsResponseData answer = (CreateTopicsResponseData) split.withRefusals(new CreateTopicsResponseData());

        assertThat(((CreateTopicsRequestData) split.allowed()).topics()).extracting(CreatableTopic::name)
                .containsExactly("alice-orders");
        assertThat(answer.topics().find("payroll").errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(request.topics()).hasSize(2);
    }

    @Test
    void nothingIsSplitWhenEverythingIsAllowed() {
        CreateTopicsRequestData request = new CreateTopicsRequestData();
        request.topics().add(new CreatableTopic().setName("alice-orders"));

        assertThat(ResourceRefusals.split(ApiKeys.CREATE_TOPICS, request, ALICE, id -> null)).isEmpty();
    }

    @Test
    void whenEveryGroupIsRefusedNothingIsForwarded() {
        DeleteGroupsRequestData request = new DeleteGroupsRequestData().setGroupsNames(new ArrayList<>(
                List.of("payroll", "audit")));

        ResourceRefusals.Split split = ResourceRefusals.split(ApiKeys.DELETE_GROUPS, request, ALICE, id -> null)
                .orElseThrow();
        DeleteGroupsResponseData answer = (DeleteGroupsResponseData) split.withRefusals(split.empty());

        assertThat(split.allowed()).isNull();
        assertThat(answer.results()).extracting(DeleteGroupsResponseData.DeletableGroupResult::errorCode)
                .containsOnly(Errors.GROUP_AUTHORIZATION_FAILED.code()).hasSize(2);
    }

    @Test
    void brokerConfigsAreTheClustersToAuthorize() {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData().setResources(new ArrayList<>(List.of(
                new DescribeConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
                        .setResourceName("alice-orders"),
                new DescribeConfigsResource().setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("1"))));

        ResourceRefusals.Split split = ResourceRefusals.split(ApiKeys.DESCRIBE_CONFIGS, request, ALICE, id -> null)
                .orElseThrow();
        DescribeConfigsResponseData answer = (DescribeConfigsResponseData) split.withRefusals(
                new DescribeConfigsResponseData());

        assertThat(((DescribeConfigsRequestData) split.allowed()).resources())
                .extracting(DescribeConfigsResource::resourceName).containsExactly("alice-orders");
        assertThat(answer.results()).singleElement().satisfies(r -> {
            assertThat(r.resourceName()).isEqualTo("1");
            assertThat(r.errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        });
    }
}
