package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.SecurityFeed.Acl;

class RequestAuthorizerTest {

    private static final String HOST = "10.0.0.7";

    private static RequestAuthorizer access(String user, String... clusterOperations) {
        List<Acl> acls = Arrays.stream(clusterOperations)
                .map(op -> new Acl("User:" + user, "*", "CLUSTER", RequestAuthorizer.CLUSTER, "LITERAL", op, "ALLOW"))
                .toList();
        return new RequestAuthorizer(new Authorizer(Set.of(), acls), new KafkaPrincipal("User", user), HOST,
                id -> null);
    }

    @Test
    void electingLeadersAndReassigningTakeAlterOnTheClusterAndListingReassignmentsDescribe() {
        RequestAuthorizer describer = access("dan", "DESCRIBE");
        RequestAuthorizer alterer = access("ada", "ALTER");
        RequestAuthorizer nobody = access("nemo");

        for (RequestAuthorizer refused : List.of(describer, nobody)) {
            assertThat(refused.refusal(ApiKeys.ELECT_LEADERS, new ElectLeadersRequestData()))
                    .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
            assertThat(refused.refusal(ApiKeys.ALTER_PARTITION_REASSIGNMENTS,
                    new AlterPartitionReassignmentsRequestData())).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
        }
        assertThat(nobody.refusal(ApiKeys.LIST_PARTITION_REASSIGNMENTS, new ListPartitionReassignmentsRequestData()))
                .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);

        assertThat(alterer.refusal(ApiKeys.ELECT_LEADERS, new ElectLeadersRequestData())).isNull();
        assertThat(alterer.refusal(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, new AlterPartitionReassignmentsRequestData()))
                .isNull();
        assertThat(alterer.refusal(ApiKeys.LIST_PARTITION_REASSIGNMENTS, new ListPartitionReassignmentsRequestData()))
                .as("ALTER implies DESCRIBE").isNull();
        assertThat(describer.refusal(ApiKeys.LIST_PARTITION_REASSIGNMENTS,
                new ListPartitionReassignmentsRequestData())).isNull();
    }
}
