package io.sluice.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.contract.SecurityFeed.Acl;

class AuthorizerTest {

    private static final KafkaPrincipal ALICE = new KafkaPrincipal("User", "alice");
    private static final KafkaPrincipal BOB = new KafkaPrincipal("User", "bob");
    private static final String HOST = "10.0.0.7";

    private static Acl allow(String principal, String type, String name, String pattern, String operation) {
        return new Acl(principal, "*", type, name, pattern, operation, "ALLOW");
    }

    private static Acl deny(String principal, String type, String name, String pattern, String operation) {
        return new Acl(principal, "*", type, name, pattern, operation, "DENY");
    }

    @Test
    void nothingIsAllowedWithoutAnAclButSuperUsersMayDoAnything() {
        Authorizer authorizer = new Authorizer(Set.of(BOB), List.of());

        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders")).isFalse();
        assertThat(authorizer.authorizes(BOB, HOST, AclOperation.ALTER, ResourceType.CLUSTER, "kafka-cluster"))
                .isTrue();
    }

    @Test
    void literalAndPrefixedAndWildcardResourcesMatchAsInKafka() {
        Authorizer authorizer = new Authorizer(Set.of(), List.of(
                allow("User:alice", "TOPIC", "orders", "LITERAL", "WRITE"),
                allow("User:alice", "TOPIC", "audit-", "PREFIXED", "READ"),
                allow("User:*", "GROUP", "*", "LITERAL", "READ")));

        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "orders")).isTrue();
        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "orders-2")).isFalse();
        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "audit-eu")).isTrue();
        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "audi")).isFalse();
        assertThat(authorizer.authorizes(BOB, HOST, AclOperation.READ, ResourceType.GROUP, "any-group")).isTrue();
        assertThat(authorizer.authorizes(BOB, HOST, AclOperation.READ, ResourceType.TOPIC, "orders")).isFalse();
    }

    @Test
    void denyWinsOverAllowAndImpliesNothingElse() {
        Authorizer authorizer = new Authorizer(Set.of(), List.of(
                allow("User:alice", "TOPIC", "*", "LITERAL", "ALL"),
                deny("User:alice", "TOPIC", "secret", "LITERAL", "READ")));

        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "secret")).isFalse();
        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.DESCRIBE, ResourceType.TOPIC, "secret")).isTrue();
        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "public")).isTrue();
    }

    @Test
    void readWriteDeleteAndAlterImplyDescribeAndAlterConfigsImpliesDescribeConfigs() {
        Authorizer authorizer = new Authorizer(Set.of(), List.of(
                allow("User:alice", "TOPIC", "orders", "LITERAL", "READ"),
                allow("User:alice", "TOPIC", "audit", "LITERAL", "ALTER_CONFIGS")));

        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders")).isTrue();
        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC, "orders")).isFalse();
        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "audit"))
                .isTrue();
        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.DESCRIBE, ResourceType.TOPIC, "audit")).isFalse();
    }

    @Test
    void anAclForAHostCountsOnlyFromThatHost() {
        Authorizer authorizer = new Authorizer(Set.of(), List.of(
                new Acl("User:alice", HOST, "TOPIC", "orders", "LITERAL", "READ", "ALLOW")));

        assertThat(authorizer.authorizes(ALICE, HOST, AclOperation.READ, ResourceType.TOPIC, "orders")).isTrue();
        assertThat(authorizer.authorizes(ALICE, "10.0.0.8", AclOperation.READ, ResourceType.TOPIC, "orders"))
                .isFalse();
    }

    @Test
    void writeOnAnyTopicCountsForIdempotentProducers() {
        Authorizer authorizer = new Authorizer(Set.of(), List.of(
                allow("User:alice", "TOPIC", "orders", "LITERAL", "WRITE")));

        assertThat(authorizer.authorizesAny(ALICE, HOST, AclOperation.WRITE, ResourceType.TOPIC)).isTrue();
        assertThat(authorizer.authorizesAny(BOB, HOST, AclOperation.WRITE, ResourceType.TOPIC)).isFalse();
    }
}
