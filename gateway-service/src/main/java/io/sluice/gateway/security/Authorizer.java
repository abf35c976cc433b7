package io.sluice.gateway.security;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

import io.sluice.protocol.contract.SecurityFeed;

/**
 * Kafka's ACL decision on one snapshot of the ACLs: super users may do anything; otherwise a matching DENY refuses, a
 * matching ALLOW permits, and nothing matching refuses (Kafka's {@code allow.everyone.if.no.acl.found=false}). An ACL
 * matches by principal (or {@code User:*}), host (or {@code *}) and resource: a LITERAL name equal to it or
 * {@code *}, or a PREFIXED name it starts with. As in Kafka, ALLOW of READ, WRITE, DELETE or ALTER implies DESCRIBE,
 * and ALLOW of ALTER_CONFIGS implies DESCRIBE_CONFIGS; DENY implies nothing beyond itself (and ALL).
 */
public final class Authorizer {

    private static final KafkaPrincipal ANY_USER = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "*");
    private static final String ANY_HOST = "*";
    private static final Map<AclOperation, Set<AclOperation>> IMPLYING = Map.of(
            AclOperation.DESCRIBE, Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE,
                    AclOperation.ALTER),
            AclOperation.DESCRIBE_CONFIGS, Set.of(AclOperation.ALTER_CONFIGS));

    private record Entry(KafkaPrincipal principal, String host, ResourcePattern resource, AclOperation operation,
            boolean allow) {
    }

    private final Set<KafkaPrincipal> superUsers;
    private final Map<ResourceType, List<Entry>> byType = new HashMap<>();

    public Authorizer(Set<KafkaPrincipal> superUsers, List<SecurityFeed.Acl> acls) {
        this.superUsers = Set.copyOf(superUsers);
        for (SecurityFeed.Acl acl : acls) {
            Entry entry = new Entry(principal(acl.principal()), acl.host(),
                    new ResourcePattern(ResourceType.fromString(acl.resourceType()), acl.resourceName(),
                            PatternType.fromString(acl.patternType())),
                    AclOperation.fromString(acl.operation()),
                    AclPermissionType.fromString(acl.permission()) == AclPermissionType.ALLOW);
            byType.computeIfAbsent(entry.resource().resourceType(), t -> new ArrayList<>()).add(entry);
        }
    }

    /** Parses {@code Type:name}, the way Kafka writes principals in ACLs. */
    public static KafkaPrincipal principal(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a principal is Type:name, not " + text);
        }
        return new KafkaPrincipal(text.substring(0, colon), text.substring(colon + 1));
    }

    public boolean isSuperUser(KafkaPrincipal principal) {
        return superUsers.contains(principal);
    }

    /** Whether the principal, connected from {@code host}, may perform the operation on the named resource. */
    public boolean authorizes(KafkaPrincipal principal, String host, AclOperation operation, ResourceType type,
            String name) {
        if (superUsers.contains(principal)) {
            return true;
        }
        boolean allowed = false;
        for (Entry entry : byType.getOrDefault(type, List.of())) {
            if (!matches(entry, principal, host, name)) {
                continue;
            }
            if (!entry.allow() && (entry.operation() == operation || entry.operation() == AclOperation.ALL)) {
                return false;
            }
            allowed |= entry.allow() && (entry.operation() == operation || entry.operation() == AclOperation.ALL
                    || IMPLYING.getOrDefault(operation, Set.of()).contains(entry.operation()));
        }
        return allowed;
    }

    /**
     * Whether the principal may perform the operation on at least one resource of the type (Kafka's authorizeByResourceType).
     */
    public boolean authorizesAny(KafkaPrincipal principal, String host, AclOperation operation, ResourceType type) {
        if (superUsers.contains(principal)) {
            return true;
        }
        for (Entry entry : byType.getOrDefault(type, List.of())) {
            if (entry.allow() && (entry.principal().equals(principal) || entry.principal().equals(ANY_USER))
                    && (entry.host().equals(ANY_HOST) || entry.host().equals(host))
                    && (entry.operation() == operation || entry.operation() == AclOperation.ALL)
                    && authorizes(principal, host, operation, type, entry.resource().name())) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Entry entry, KafkaPrincipal principal, String host, String name) {
        if (!entry.principal().equals(principal) && !entry.principal().equals(ANY_USER)) {
            return false;
        }
        if (!entry.host().equals(ANY_HOST) && !entry.host().equals(host)) {
            return false;
        }
        ResourcePattern resource = entry.resource();
        return resource.patternType() == PatternType.PREFIXED
                ? name.startsWith(resource.name())
                : resource.name().equals(name) || resource.name().equals(ResourcePattern.WILDCARD_RESOURCE);
    }
}
