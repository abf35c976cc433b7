package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.SecurityFeed.Acl;

/** Committed offsets of a group reveal only the topics the principal may describe, as Kafka's brokers answer. */
class AuthorizedViewsTest {

    private static final RequestAuthorizer ALICE = new RequestAuthorizer(new Authorizer(Set.of(), List.of(
            new Acl("User:alice", "*", "GROUP", "billing", "LITERAL", "DESCRIBE", "ALLOW"),
            new Acl("User:alice", "*", "TOPIC", "orders", "LITERAL", "DESCRIBE", "ALLOW"))),
            new KafkaPrincipal("User", "alice"), "10.0.0.7", id -> null);

    @Test
    void askingForEveryTopicShowsOnlyDescribableOnes() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestGroup().setGroupId("billing").setTopics(null)));

        OffsetFetchResponseData answer = (OffsetFetchResponseData) AuthorizedViews.filter(request, committed(),
                ALICE, id -> null);

        assertThat(answer.groups().get(0).topics()).extracting(OffsetFetchResponseTopics::name)
                .containsExactly("orders");
    }

    @Test
    void aTopicAskedForByNameThatMayNotBeDescribedIsRefusedWithoutItsOffsets() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestGroup().setGroupId("billing").setTopics(List.of(
                        new OffsetFetchRequestTopics().setName("orders"),
                        new OffsetFetchRequestTopics().setName("salaries")))));

        OffsetFetchResponseData answer = (OffsetFetchResponseData) AuthorizedViews.filter(request, committed(),
                ALICE, id -> null);

        OffsetFetchResponsePartitions orders = answer.groups().get(0).topics().get(0).partitions().get(0);
        OffsetFetchResponsePartitions salaries = answer.groups().get(0).topics().get(1).partitions().get(0);
        assertThat(orders.committedOffset()).isEqualTo(42);
        assertThat(salaries.committedOffset()).isEqualTo(-1);
        assertThat(salaries.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void theGroupIsCheckedBeforeAnything() {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestGroup().setGroupId("payroll").setTopics(null)));

        assertThat(ALICE.refusal(ApiKeys.OFFSET_FETCH, request))
                .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED);
    }

    private static OffsetFetchResponseData committed() {
        // Mutable, as decoded answers are.
        return new OffsetFetchResponseData().setGroups(new ArrayList<>(List.of(new OffsetFetchResponseGroup()
                .setGroupId("billing").setTopics(new ArrayList<>(List.of(topic("orders", 42), topic("salaries", 7)))))));
    }

    private static OffsetFetchResponseTopics topic(String name, long offset) {
        return new OffsetFetchResponseTopics().setName(name).setPartitions(List.of(
                new OffsetFetchResponsePartitions().setPartitionIndex(0).setCommittedOffset(offset)));
    }
}
