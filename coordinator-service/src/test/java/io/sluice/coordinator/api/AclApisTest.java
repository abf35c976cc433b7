package io.sluice.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData.AclCreation;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsMatchingAcl;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsResponseData.DescribeAclsResource;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sluice.coordinator.security.AclLimits;
import io.sluice.coordinator.security.SecurityState;
import io.sluice.coordinator.store.StateStore;
import io.sluice.coordinator.store.StateStores;
import io.sluice.protocol.contract.SecurityFeed;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * CreateAcls, DescribeAcls and DeleteAcls on the coordinator's real listener, with the checks and errors of Kafka's
 * broker and controller, the filters of Kafka's {@link AclBindingFilter}, the bounds on what a client sends, and the
 * gateways' feed.
 */
class AclApisTest {

    private static final AclBinding READ_ORDERS = binding(ResourceType.TOPIC, "orders", PatternType.LITERAL,
            "User:alice", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclBinding WRITE_ORDERS_PREFIX = binding(ResourceType.TOPIC, "ord", PatternType.PREFIXED,
            "User:bob", AclOperation.WRITE, AclPermissionType.ALLOW);
    private static final AclBinding READ_ANY_TOPIC = binding(ResourceType.TOPIC, "*", PatternType.LITERAL,
            "User:*", AclOperation.READ, AclPermissionType.DENY);
    private static final AclBinding READ_OTHER = binding(ResourceType.TOPIC, "other", PatternType.LITERAL,
            "User:alice", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclBinding GROUP = binding(ResourceType.GROUP, "orders", PatternType.LITERAL,
            "User:alice", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclBinding CLUSTER = new AclBinding(
            new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
            new AccessControlEntry("User:admin", "10.0.0.1", AclOperation.ALTER, AclPermissionType.ALLOW));
    private static final AclBinding TRANSACTIONAL_ID = binding(ResourceType.TRANSACTIONAL_ID, "tx-",
            PatternType.PREFIXED, "User:bob", AclOperation.WRITE, AclPermissionType.ALLOW);

    private static StateStore store;
    private static Vertx vertx;

    private ListeningCoordinator coordinator;

    @BeforeAll
    static void startStore() throws IOException {
        store = StateStores.alone("acl-apis-test");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopStore() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
        store.close();
    }

    @BeforeEach
    void startCoordinator() {
        coordinator = new ListeningCoordinator(store, vertx, 50_000);
    }

    @AfterEach
    void stopCoordinator() {
        coordinator.close();
    }

    // ---- create, describe, delete

    @Test
    void createdAclsAreDescribedByResourceAtEveryVersionAndTheFeedCarriesThem() {
        long before = feed().version();

        assertCreated(create((short) 1, READ_ORDERS, WRITE_ORDERS_PREFIX, GROUP));
        assertCreated(create((short) 3, CLUSTER, TRANSACTIONAL_ID, READ_ANY_TOPIC));

        for (short version = 1; version <= 3; version++) {
            assertThat(describe(AclBindingFilter.ANY, version))
                    .containsExactlyInAnyOrder(READ_ORDERS, WRITE_ORDERS_PREFIX, GROUP, CLUSTER, TRANSACTIONAL_ID,
                            READ_ANY_TOPIC);
        }
        DescribeAclsResponseData grouped = coordinator.send(describeRequest(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.ANY, "orders", PatternType.LITERAL),
                AccessControlEntryFilter.ANY)));
        assertThat(grouped.resources()).extracting(DescribeAclsResource::resourceType)
                .containsExactly(ResourceType.TOPIC.code(), ResourceType.GROUP.code());

        SecurityFeed feed = feed();
        assertThat(feed.version()).isEqualTo(before + 2);
        assertThat(feed.acls()).hasSize(6).contains(
                new SecurityFeed.Acl("User:alice", "*", "TOPIC", "orders", "LITERAL", "READ", "ALLOW"),
                new SecurityFeed.Acl("User:bob", "*", "TOPIC", "ord", "PREFIXED", "WRITE", "ALLOW"),
                new SecurityFeed.Acl("User:admin", "10.0.0.1", "CLUSTER", "kafka-cluster", "LITERAL", "ALTER",
                        "ALLOW"),
                new SecurityFeed.Acl("User:bob", "*", "TRANSACTIONAL_ID", "tx-", "PREFIXED", "WRITE", "ALLOW"));
    }

    @Test
    void describeFiltersAsKafkasAclBindingFilter() {
        create(READ_ORDERS, WRITE_ORDERS_PREFIX, READ_ANY_TOPIC, READ_OTHER, GROUP, CLUSTER, TRANSACTIONAL_ID);

        assertThat(describe(topics("orders", PatternType.LITERAL))).containsExactly(READ_ORDERS);
        assertThat(describe(topics("ord", PatternType.PREFIXED))).containsExactly(WRITE_ORDERS_PREFIX);
        assertThat(describe(topics(null, PatternType.PREFIXED))).containsExactly(WRITE_ORDERS_PREFIX);
        assertThat(describe(topics("orders", PatternType.MATCH)))
                .containsExactlyInAnyOrder(READ_ORDERS, WRITE_ORDERS_PREFIX, READ_ANY_TOPIC);
        assertThat(describe(topics("orders", PatternType.ANY))).containsExactly(READ_ORDERS);
        assertThat(describe(topics(null, PatternType.ANY)))
                .containsExactlyInAnyOrder(READ_ORDERS, WRITE_ORDERS_PREFIX, READ_ANY_TOPIC, READ_OTHER);
        assertThat(describe(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:alice", null, AclOperation.ANY, AclPermissionType.ANY))))
                .containsExactlyInAnyOrder(READ_ORDERS, READ_OTHER, GROUP);
        assertThat(describe(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(null, "10.0.0.1", AclOperation.ANY, AclPermissionType.ANY))))
                .containsExactly(CLUSTER);
        assertThat(describe(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(null, null, AclOperation.WRITE, AclPermissionType.ANY))))
                .containsExactlyInAnyOrder(WRITE_ORDERS_PREFIX, TRANSACTIONAL_ID);
        assertThat(describe(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(null, null, AclOperation.ANY, AclPermissionType.DENY))))
                .containsExactly(READ_ANY_TOPIC);
        assertThat(describe(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TRANSACTIONAL_ID, "tx-42", PatternType.MATCH),
                AccessControlEntryFilter.ANY))).containsExactly(TRANSACTIONAL_ID);
        assertThat(describe(topics("nothing-here", PatternType.LITERAL))).isEmpty();
    }

    @Test
    void creatingAnExistingBindingSucceedsWithoutAChange() {
        assertCreated(create(READ_ORDERS));
        long version = feed().version();

        assertCreated(create(READ_ORDERS, READ_ORDERS));

        assertThat(feed().version()).isEqualTo(version);
        assertThat(describe(AclBindingFilter.ANY)).containsExactly(READ_ORDERS);
    }

    @Test
    void deleteAnswersEachFilterWithTheBindingsItMatchedAndDeletesThem() {
        create(READ_ORDERS, WRITE_ORDERS_PREFIX, READ_ANY_TOPIC, READ_OTHER, GROUP);
        long version = feed().version();

        DeleteAclsResponseData response = delete((short) 2, topics("orders", PatternType.MATCH),
                new AclBindingFilter(ResourcePatternFilter.ANY,
                        new AccessControlEntryFilter("User:alice", null, AclOperation.READ, AclPermissionType.ALLOW)),
                topics("nothing-here", PatternType.LITERAL));

        assertThat(response.filterResults()).hasSize(3)
                .allSatisfy(r -> assertThat(r.errorCode()).isZero());
        assertThat(deleted(response.filterResults().get(0)))
                .containsExactlyInAnyOrder(READ_ORDERS, WRITE_ORDERS_PREFIX, READ_ANY_TOPIC);
        assertThat(deleted(response.filterResults().get(1))).containsExactlyInAnyOrder(READ_ORDERS, READ_OTHER, GROUP);
        assertThat(deleted(response.filterResults().get(2))).isEmpty();
        assertThat(describe(AclBindingFilter.ANY)).isEmpty();
        assertThat(feed().acls()).isEmpty();
        assertThat(feed().version()).isEqualTo(version + 1);

        assertThat(delete((short) 1, AclBindingFilter.ANY).filterResults()).singleElement()
                .satisfies(r -> assertThat(r.matchingAcls()).isEmpty());
        assertThat(feed().version()).isEqualTo(version + 1);
    }

    @Test
    void aclsAndCredentialsShareTheFeedsVersion() {
        long before = feed().version();
        create(READ_ORDERS);
        coordinator.security().credentials().ensureUser("admin", "secret").join();
        delete((short) 3, AclBindingFilter.ANY);

        SecurityFeed feed = feed();
        assertThat(feed.version()).isEqualTo(before + 3);
        assertThat(feed.acls()).isEmpty();
        assertThat(feed.credentials()).hasSize(2);
    }

    // ---- refusals

    @Test
    void invalidBindingsAreRefusedOneByOneWithKafkasMessages() {
        List<AclCreation> creations = List.of(
                creation(ResourceType.CLUSTER.code(), "my-cluster", PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.ALTER.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "", PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation((byte) 0, "t", PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation((byte) 99, "t", PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.ANY.code(), "t", PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "t", PatternType.MATCH.code(), "User:a", "*",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "t", PatternType.ANY.code(), "User:a", "*",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "t", PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.ANY.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "t", PatternType.LITERAL.code(), "User:a", "*",
                        (byte) 0, AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "t", PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.READ.code(), AclPermissionType.ANY.code()),
                creation(ResourceType.TOPIC.code(), "t", PatternType.LITERAL.code(), "alice", "*",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.USER.code(), "bob", PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.CREATE_TOKENS.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "t", PatternType.LITERAL.code(), "User:a", "client.example.com",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "t", PatternType.LITERAL.code(), "User:a", "300.1.1.1",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "x".repeat(1_025), PatternType.LITERAL.code(), "User:a", "*",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()),
                creation(ResourceType.TOPIC.code(), "ok", PatternType.LITERAL.code(), "User:a", "::1",
                        AclOperation.READ.code(), AclPermissionType.ALLOW.code()));

        List<AclCreationResult> results = coordinator.<CreateAclsResponseData> send(
                new CreateAclsRequestData().setCreations(new ArrayList<>(creations))).results();

        assertThat(results).extracting(AclCreationResult::errorMessage).containsExactly(
                "The only valid name for the CLUSTER resource is kafka-cluster",
                "Invalid empty resource name",
                "Invalid resourceType UNKNOWN",
                "Invalid resourceType UNKNOWN",
                "Invalid resourceType ANY",
                "Invalid patternType MATCH",
                "Invalid patternType ANY",
                "Invalid operation ANY",
                "Invalid operation UNKNOWN",
                "Invalid permissionType ANY",
                "Could not parse principal from `alice` (no colon is present separating the principal type from the"
                        + " principal name)",
                "Sluice has no USER resources; ACLs are for TOPIC, GROUP, CLUSTER and TRANSACTIONAL_ID",
                "Invalid host `client.example.com`: expected * or an IP address",
                "Invalid host `300.1.1.1`: expected * or an IP address",
                "Resource names and principals are at most 1024 characters",
                "");
        assertThat(results.subList(0, results.size() - 1))
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code()));
        assertThat(results.get(results.size() - 1).errorCode()).isZero();
        assertThat(feed().acls()).singleElement().satisfies(acl -> assertThat(acl.host()).isEqualTo("::1"));
    }

    @Test
    void filtersWithUnknownElementsAreInvalidRequests() {
        create(READ_ORDERS);

        DescribeAclsResponseData described = coordinator.send(describeRequest(AclBindingFilter.ANY)
                .setResourceTypeFilter((byte) 99));
        assertThat(described.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(described.errorMessage()).isEqualTo("Unknown patternFilter.");
        assertThat(described.resources()).isEmpty();
        DescribeAclsResponseData unknownOperation = coordinator.send(describeRequest(AclBindingFilter.ANY)
                .setOperation((byte) 0));
        assertThat(unknownOperation.errorMessage()).isEqualTo("Unknown entryFilter.");

        DeleteAclsResponseData deleted = coordinator.send(new DeleteAclsRequestData().setFilters(new ArrayList<>(
                List.of(deleteFilter(AclBindingFilter.ANY).setPatternTypeFilter((byte) 0),
                        deleteFilter(topics("elsewhere", PatternType.LITERAL))))));
        assertThat(deleted.filterResults()).extracting(DeleteAclsFilterResult::errorCode)
                .containsExactly(Errors.INVALID_REQUEST.code(), Errors.NONE.code());
        assertThat(describe(AclBindingFilter.ANY)).containsExactly(READ_ORDERS);
    }

    @Test
    void everyCountAClientSendsIsBoundedAndSoAreTheClustersAcls() {
        CreateAclsResponseData tooManyCreations = create(topicAcls("too-many-", 1_001).toArray(AclBinding[]::new));
        assertThat(tooManyCreations.results()).hasSize(1_001)
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code()));
        assertThat(feed().acls()).isEmpty();

        DeleteAclsResponseData tooManyFilters = delete((short) 3,
                Collections.nCopies(1_001, AclBindingFilter.ANY).toArray(AclBindingFilter[]::new));
        assertThat(tooManyFilters.filterResults()).hasSize(1_001)
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code()));

        coordinator.close();
        coordinator = new ListeningCoordinator(store, vertx, 50_000, new AclLimits(50, 20), handler -> handler);
        assertCreated(create(topicAcls("batch-0-", 20).toArray(AclBinding[]::new)));
        assertCreated(create(topicAcls("batch-1-", 20).toArray(AclBinding[]::new)));
        assertCreated(create(topicAcls("batch-2-", 10).toArray(AclBinding[]::new)));
        CreateAclsResponseData full = create(READ_ORDERS, topicAcls("batch-0-", 1).get(0));
        assertThat(full.results()).extracting(AclCreationResult::errorCode)
                .containsExactly(Errors.POLICY_VIOLATION.code(), Errors.NONE.code());
        assertThat(full.results().get(0).errorMessage()).isEqualTo("The cluster keeps at most 50 ACLs");

        DeleteAclsResponseData tooManyDeletions = delete((short) 3,
                topics("batch-2-0", PatternType.LITERAL), AclBindingFilter.ANY);
        assertThat(tooManyDeletions.filterResults()).extracting(DeleteAclsFilterResult::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.POLICY_VIOLATION.code());
        assertThat(tooManyDeletions.filterResults().get(0).matchingAcls()).hasSize(1);
        assertThat(tooManyDeletions.filterResults().get(1).errorMessage())
                .isEqualTo("A request may delete at most 20 ACLs; this filter matches 50");
        DeleteAclsResponseData oneBatch = delete((short) 3, new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:batch-1-", null, AclOperation.ANY, AclPermissionType.ANY)));
        assertThat(oneBatch.filterResults().get(0).matchingAcls()).hasSize(20);
        assertThat(feed().acls()).hasSize(29);
        assertCreated(create(READ_ORDERS));
    }

    // ---- durability

    @Test
    void aNewActiveReplicaServesTheStoredAcls() {
        create(READ_ORDERS, WRITE_ORDERS_PREFIX, CLUSTER);
        delete((short) 3, topics("ord", PatternType.PREFIXED));
        SecurityFeed before = feed();

        try (SecurityState next = new SecurityState(store, new ObjectMapper(), new AclLimits(100_000, 10_000))) {
            next.start();

            assertThat(next.feed()).isEqualTo(before);
            assertThat(next.feed().acls()).hasSize(2);
            assertThat(next.acls().describe(describeRequest(AclBindingFilter.ANY)).resources())
                    .extracting(DescribeAclsResource::resourceName).containsExactly("orders", "kafka-cluster");
        }
    }

    // ---- helpers

    private SecurityFeed feed() {
        return coordinator.security().feed();
    }

    private static AclBinding binding(ResourceType type, String name, PatternType patternType, String principal,
            AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, "*", operation, permission));
    }

    /** {@code count} literal topic ACLs, each its own principal. */
    private static List<AclBinding> topicAcls(String prefix, int count) {
        List<AclBinding> acls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            acls.add(binding(ResourceType.TOPIC, prefix + i, PatternType.LITERAL, "User:" + prefix,
                    AclOperation.READ, AclPermissionType.ALLOW));
        }
        return acls;
    }

    private static AclBindingFilter topics(String name, PatternType patternType) {
        return new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, name, patternType),
                AccessControlEntryFilter.ANY);
    }

    private static AclCreation creation(byte resourceType, String name, byte patternType, String principal,
            String host, byte operation, byte permission) {
        return new AclCreation().setResourceType(resourceType).setResourceName(name)
                .setResourcePatternType(patternType).setPrincipal(principal).setHost(host).setOperation(operation)
                .setPermissionType(permission);
    }

    private static AclCreation creation(AclBinding binding) {
        return creation(binding.pattern().resourceType().code(), binding.pattern().name(),
                binding.pattern().patternType().code(), binding.entry().principal(), binding.entry().host(),
                binding.entry().operation().code(), binding.entry().permissionType().code());
    }

    private CreateAclsResponseData create(AclBinding... bindings) {
        return create((short) 3, bindings);
    }

    private CreateAclsResponseData create(short version, AclBinding... bindings) {
        List<AclCreation> creations = new ArrayList<>();
        for (AclBinding binding : bindings) {
            creations.add(creation(binding));
        }
        CreateAclsResponseData response = coordinator.send(new CreateAclsRequestData().setCreations(creations),
                version);
        assertThat(response.results()).hasSize(bindings.length);
        return response;
    }

    private static void assertCreated(CreateAclsResponseData response) {
        assertThat(response.results()).allSatisfy(r -> assertThat(r.errorCode()).as(r.errorMessage()).isZero());
    }

    private static DescribeAclsRequestData describeRequest(AclBindingFilter filter) {
        return new DescribeAclsRequestData().setResourceTypeFilter(filter.patternFilter().resourceType().code())
                .setResourceNameFilter(filter.patternFilter().name())
                .setPatternTypeFilter(filter.patternFilter().patternType().code())
                .setPrincipalFilter(filter.entryFilter().principal()).setHostFilter(filter.entryFilter().host())
                .setOperation(filter.entryFilter().operation().code())
                .setPermissionType(filter.entryFilter().permissionType().code());
    }

    private List<AclBinding> describe(AclBindingFilter filter) {
        return describe(filter, (short) 3);
    }

    /** The bindings described, read back from the answer's resources. */
    private List<AclBinding> describe(AclBindingFilter filter, short version) {
        DescribeAclsResponseData response = coordinator.send(describeRequest(filter), version);
        assertThat(response.errorCode()).as(response.errorMessage()).isZero();
        List<AclBinding> bindings = new ArrayList<>();
        for (DescribeAclsResource resource : response.resources()) {
            ResourcePattern pattern = new ResourcePattern(ResourceType.fromCode(resource.resourceType()),
                    resource.resourceName(), PatternType.fromCode(resource.patternType()));
            resource.acls().forEach(acl -> bindings.add(new AclBinding(pattern, new AccessControlEntry(
                    acl.principal(), acl.host(), AclOperation.fromCode(acl.operation()),
                    AclPermissionType.fromCode(acl.permissionType())))));
        }
        return bindings;
    }

    private static DeleteAclsFilter deleteFilter(AclBindingFilter filter) {
        return new DeleteAclsFilter().setResourceTypeFilter(filter.patternFilter().resourceType().code())
                .setResourceNameFilter(filter.patternFilter().name())
                .setPatternTypeFilter(filter.patternFilter().patternType().code())
                .setPrincipalFilter(filter.entryFilter().principal()).setHostFilter(filter.entryFilter().host())
                .setOperation(filter.entryFilter().operation().code())
                .setPermissionType(filter.entryFilter().permissionType().code());
    }

    private DeleteAclsResponseData delete(short version, AclBindingFilter... filters) {
        List<DeleteAclsFilter> requested = new ArrayList<>();
        for (AclBindingFilter filter : filters) {
            requested.add(deleteFilter(filter));
        }
        return coordinator.send(new DeleteAclsRequestData().setFilters(requested), version);
    }

    private static List<AclBinding> deleted(DeleteAclsFilterResult result) {
        List<AclBinding> bindings = new ArrayList<>();
        for (DeleteAclsMatchingAcl acl : result.matchingAcls()) {
            assertThat(acl.errorCode()).isZero();
            bindings.add(new AclBinding(
                    new ResourcePattern(ResourceType.fromCode(acl.resourceType()), acl.resourceName(),
                            PatternType.fromCode(acl.patternType())),
                    new AccessControlEntry(acl.principal(), acl.host(), AclOperation.fromCode(acl.operation()),
                            AclPermissionType.fromCode(acl.permissionType()))));
        }
        return bindings;
    }
}
