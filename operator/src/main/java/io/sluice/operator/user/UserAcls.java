package io.sluice.operator.user;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A user's ACLs: the spec's rules as Kafka's {@link AclBinding}s, and kept exactly so in the cluster through
 * {@link Admin} (those missing created, those no longer in the spec deleted).
 */
final class UserAcls {

    /** Kafka's name of the cluster resource. */
    static final String CLUSTER_RESOURCE = "kafka-cluster";

    private static final Map<String, ResourceType> RESOURCE_TYPES = Map.of("topic", ResourceType.TOPIC,
            "group", ResourceType.GROUP, "cluster", ResourceType.CLUSTER,
            "transactionalId", ResourceType.TRANSACTIONAL_ID);
    private static final Map<String, PatternType> PATTERN_TYPES = Map.of("literal", PatternType.LITERAL,
            "prefix", PatternType.PREFIXED);
    private static final Map<String, AclPermissionType> PERMISSIONS = Map.of("allow", AclPermissionType.ALLOW,
            "deny", AclPermissionType.DENY);
    /** Kafka's operations by their names without underscores, lower case: {@code ClusterAction} → CLUSTER_ACTION. */
    private static final Map<String, AclOperation> OPERATIONS = Arrays.stream(AclOperation.values())
            .filter(op -> op != AclOperation.ANY && op != AclOperation.UNKNOWN)
            .collect(Collectors.toMap(UserAcls::operationKey, Function.identity()));

    private final Admin admin;
    private final long timeoutMs;

    UserAcls(Admin admin, long timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    /** What is wrong with the rules, each problem naming its rule; empty when they can all be applied. */
    static List<String> problems(List<UserSpec.AclRule> rules) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            UserSpec.AclRule rule = rules.get(i);
            String at = "authorization.acls[" + i + "]";
            if (rule == null || rule.getResource() == null) {
                problems.add(at + ".resource is missing");
                continue;
            }
            UserSpec.AclResource resource = rule.getResource();
            if (!RESOURCE_TYPES.containsKey(resource.getType())) {
                problems.add(at + ".resource.type is \"" + resource.getType()
                        + "\" but must be one of topic, group, cluster, transactionalId");
            } else if (!"cluster".equals(resource.getType())
                    && (resource.getName() == null || resource.getName().isBlank())) {
                problems.add(at + ".resource.name is missing");
            }
            if (resource.getPatternType() != null && !PATTERN_TYPES.containsKey(resource.getPatternType())) {
                problems.add(at + ".resource.patternType is \"" + resource.getPatternType()
                        + "\" but must be literal or prefix");
            }
            if (rule.getOperations() == null || rule.getOperations().isEmpty()) {
                problems.add(at + ".operations is empty");
            } else {
                for (String operation : rule.getOperations()) {
                    if (operation == null || !OPERATIONS.containsKey(operationKey(operation))) {
                        problems.add(at + ".operations has \"" + operation + "\", not a Kafka operation (Read, "
                                + "Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, "
                                + "AlterConfigs, IdempotentWrite, All)");
                    }
                }
            }
            if (rule.getType() != null && !PERMISSIONS.containsKey(rule.getType())) {
                problems.add(at + ".type is \"" + rule.getType() + "\" but must be allow or deny");
            }
        }
        return problems;
    }

    /** The bindings of valid {@code rules} for {@code principal}: one per operation. */
    static Set<AclBinding> bindings(String principal, List<UserSpec.AclRule> rules) {
        Set<AclBinding> bindings = new LinkedHashSet<>();
        for (UserSpec.AclRule rule : rules) {
            UserSpec.AclResource resource = rule.getResource();
            ResourceType type = RESOURCE_TYPES.get(resource.getType());
            String name = type == ResourceType.CLUSTER ? CLUSTER_RESOURCE : resource.getName();
            PatternType pattern = type == ResourceType.CLUSTER ? PatternType.LITERAL
                    : PATTERN_TYPES.get(Optional.ofNullable(resource.getPatternType()).orElse("literal"));
            String host = rule.getHost() == null || rule.getHost().isBlank() ? "*" : rule.getHost();
            AclPermissionType permission = PERMISSIONS.get(Optional.ofNullable(rule.getType()).orElse("allow"));
            for (String operation : rule.getOperations()) {
                bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(principal, host, OPERATIONS.get(operationKey(operation)), permission)));
            }
        }
        return bindings;
    }

    /** Makes the principal's ACLs exactly {@code wanted}. */
    void sync(String principal, Set<AclBinding> wanted)
            throws ExecutionException, InterruptedException, TimeoutException {
        Collection<AclBinding> existing = existing(principal, wanted.isEmpty());
        List<AclBinding> missing = wanted.stream().filter(b -> !existing.contains(b)).toList();
        List<AclBindingFilter> extra = existing.stream().filter(b -> !wanted.contains(b)).map(AclBinding::toFilter)
                .toList();
        if (!missing.isEmpty()) {
            admin.createAcls(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        if (!extra.isEmpty()) {
            admin.deleteAcls(extra).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Deletes every ACL of the principal. */
    void deleteAll(String principal) throws ExecutionException, InterruptedException, TimeoutException {
        sync(principal, Set.of());
    }

    /**
     * The principal's ACLs in the cluster. A cluster that keeps no ACLs at all (its answer: security disabled, or
     * the API unsupported) has none for it, which is only good enough when none are {@code wanted}.
     */
    private Collection<AclBinding> existing(String principal, boolean noneWanted)
            throws ExecutionException, InterruptedException, TimeoutException {
        AclBindingFilter filter = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        try {
            return admin.describeAcls(filter).values().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (noneWanted && (e.getCause() instanceof SecurityDisabledException
                    || e.getCause() instanceof UnsupportedVersionException)) {
                return List.of();
            }
            throw e;
        }
    }

    private static String operationKey(Object operation) {
        return operation.toString().replace("_", "").toLowerCase(Locale.ROOT);
    }
}
