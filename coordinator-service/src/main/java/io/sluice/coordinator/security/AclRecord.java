package io.sluice.coordinator.security;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * One ACL as the coordinator stores it (Kafka's AccessControlEntryRecord): its id and its binding, every enum by its
 * Kafka name.
 */
public record AclRecord(String id, String principal, String host, String resourceType, String resourceName,
        String patternType, String operation, String permission) {

    static AclRecord of(String id, AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        return new AclRecord(id, entry.principal(), entry.host(), pattern.resourceType().name(), pattern.name(),
                pattern.patternType().name(), entry.operation().name(), entry.permissionType().name());
    }

    AclBinding binding() {
        return new AclBinding(
                new ResourcePattern(ResourceType.valueOf(resourceType), resourceName, PatternType.valueOf(patternType)),
                new AccessControlEntry(principal, host, AclOperation.valueOf(operation),
                        AclPermissionType.valueOf(permission)));
    }
}
