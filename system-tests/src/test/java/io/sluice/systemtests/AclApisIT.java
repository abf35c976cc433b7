package io.sluice.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.sluice.cli.local.ClusterLayout;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.security.MemberCredential;
import io.sluice.testcluster.SluiceCluster;
import io.sluice.testcluster.TestCluster;

/**
 * ACLs administered with Kafka's own Admin client through the gateway (createAcls, describeAcls, deleteAcls), and
 * carried to the gateways by the active coordinator's feed ({@code GET /internal/security}).
 */
@SluiceCluster
class AclApisIT {

    private static final String ALICE = "User:acl-it-alice";
    private static final String BOB = "User:acl-it-bob";

    static TestCluster cluster;
    static Admin admin;

    @AfterEach
    void deleteTheTestsAcls() throws Exception {
        for (String principal : List.of(ALICE, BOB)) {
            admin.deleteAcls(List.of(new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                    principal, null, AclOperation.ANY, AclPermissionType.ANY)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aclsAreCreatedDescribedAndDeletedAndTheFeedCarriesThem() throws Exception {
        AclBinding readOrders = acl(ResourceType.TOPIC, "acl-it-orders", PatternType.LITERAL, ALICE, "*",
                AclOperation.READ);
        AclBinding writePrefixed = acl(ResourceType.TOPIC, "acl-it-", PatternType.PREFIXED, BOB, "*",
                AclOperation.WRITE);
        AclBinding readGroup = acl(ResourceType.GROUP, "acl-it-group", PatternType.LITERAL, ALICE, "127.0.0.1",
                AclOperation.READ);
        AclBinding alterCluster = acl(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, BOB, "*",
                AclOperation.ALTER);
        long before = feed().getLong("version");

        admin.createAcls(List.of(readOrders, writePrefixed, readGroup, alterCluster)).all().get(30, TimeUnit.SECONDS);
        admin.createAcls(List.of(readOrders)).all().get(30, TimeUnit.SECONDS);

        assertThat(describe(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "acl-it-orders", PatternType.MATCH),
                new AccessControlEntryFilter(null, null, AclOperation.ANY, AclPermissionType.ANY))))
                .containsExactlyInAnyOrder(readOrders, writePrefixed);
        assertThat(describe(principal(ALICE))).containsExactlyInAnyOrder(readOrders, readGroup);
        assertThat(describe(principal(BOB))).containsExactlyInAnyOrder(writePrefixed, alterCluster);

        JsonPath feed = feed();
        assertThat(feed.getLong("version")).isGreaterThan(before);
        List<Map<String, Object>> acls = feed.getList("acls");
        assertThat(acls).contains(Map.of("principal", ALICE, "host", "127.0.0.1", "resourceType", "GROUP",
                "resourceName", "acl-it-group", "patternType", "LITERAL", "operation", "READ", "permission", "ALLOW"),
                Map.of("principal", BOB, "host", "*", "resourceType", "TOPIC", "resourceName", "acl-it-",
                        "patternType", "PREFIXED", "operation", "WRITE", "permission", "ALLOW"));
        long created = feed.getLong("version");

        Collection<AclBinding> deleted = admin.deleteAcls(List.of(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.ANY),
                new AccessControlEntryFilter(null, null, AclOperation.ANY, AclPermissionType.ANY))))
                .all().get(30, TimeUnit.SECONDS);

        assertThat(deleted).contains(readOrders, writePrefixed).doesNotContain(readGroup, alterCluster);
        assertThat(describe(principal(ALICE))).containsExactly(readGroup);
        assertThat(feed().getLong("version")).isGreaterThan(created);
        List<Map<String, Object>> left = feed().getList("acls");
        assertThat(left).noneMatch(acl -> "acl-it-orders".equals(acl.get("resourceName")))
                .anyMatch(acl -> "acl-it-group".equals(acl.get("resourceName")));
    }

    @Test
    void invalidBindingsAreRefusedAsKafkaRefusesThem() throws Exception {
        for (AclBinding invalid : List.of(
                acl(ResourceType.CLUSTER, "my-cluster", PatternType.LITERAL, ALICE, "*", AclOperation.ALTER),
                acl(ResourceType.TOPIC, "acl-it-t", PatternType.LITERAL, "acl-it-alice", "*", AclOperation.READ),
                acl(ResourceType.TOPIC, "acl-it-t", PatternType.LITERAL, ALICE, "client.example.com",
                        AclOperation.READ))) {
            assertThatThrownBy(() -> admin.createAcls(List.of(invalid)).all().get(30, TimeUnit.SECONDS))
                    .as("%s", invalid).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidRequestException.class);
        }
        assertThat(describe(principal(ALICE))).isEmpty();
    }

    private static AclBinding acl(ResourceType type, String name, PatternType patternType, String principal,
            String host, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, host, operation, AclPermissionType.ALLOW));
    }

    private static AclBindingFilter principal(String principal) {
        return new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    private static Collection<AclBinding> describe(AclBindingFilter filter) throws Exception {
        return admin.describeAcls(filter).values().get(30, TimeUnit.SECONDS);
    }

    /** The active coordinator's feed for the gateways. */
    private static JsonPath feed() {
        String active = cluster.activeCoordinator().orElseThrow();
        return given().baseUri(ClusterLayout.httpUrl(cluster.member(active)))
                .header(MemberCredential.HEADER, cluster.memberCredential().token()).get(CoordinatorContract.SECURITY_PATH)
                .then().statusCode(200).extract().jsonPath();
    }
}
