package io.sluice.protocol.contract;

import java.util.List;

/**
 * What the active coordinator hands gateways at {@link CoordinatorContract#SECURITY_PATH}, as JSON: the SCRAM
 * credentials they authenticate clients with, and the ACLs they authorize requests with. {@code version} changes whenever
 * the credentials or the ACLs do, so a gateway can tell that its copy is current.
 */
public record SecurityFeed(long version, List<Credential> credentials, List<Acl> acls) {

    public SecurityFeed {
        credentials = List.copyOf(credentials);
        acls = acls == null ? List.of() : List.copyOf(acls);
    }

    /**
     * One ACL as Kafka's {@code AclBinding} has it, every enum by its Kafka name: principal ({@code User:alice},
     * {@code User:*}), host ({@code *} or an address), resource type (TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID),
     * resource name, pattern type (LITERAL, PREFIXED), operation (READ, WRITE, …, ALL) and permission (ALLOW, DENY).
     */
    public record Acl(String principal, String host, String resourceType, String resourceName, String patternType,
            String operation, String permission) {
    }

    /**
     * One user's credential for one mechanism ({@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}), as Kafka keeps it (RFC
     * 5802): salt, StoredKey and ServerKey in base64, and the iteration count.
     */
    public record Credential(String user, String mechanism, String salt, String storedKey, String serverKey,
            int iterations) {

        /** The keys stay out of logs. */
        @Override
        public String toString() {
            return "Credential[user=" + user + ", mechanism=" + mechanism + ", iterations=" + iterations + "]";
        }
    }
}
