package io.sluice.protocol.contract;

import java.util.List;
import java.util.Map;

/**
 * What the active coordinator hands gateways at {@link CoordinatorContract#SECURITY_PATH}, as JSON: the SCRAM
 * credentials they authenticate clients with, and the ACLs they authorize requests with. {@code version} changes whenever
 * the credentials or the ACLs do, so a gateway can tell that its copy is current.
 */
public record SecurityFeed(long version, List<Credential> credentials, List<Acl> acls, List<Quota> quotas) {

    public SecurityFeed {
        credentials = List.copyOf(credentials);
        acls = acls == null ? List.of() : List.copyOf(acls);
        quotas = quotas == null ? List.of() : List.copyOf(quotas);
    }

    /**
     * One client quota entity's quotas, as Kafka's {@code ClientQuotaEntity} has them: {@code user} and
     * {@code clientId} are absent (null) when the entity has no such part, and {@link #DEFAULT} for the default of that
     * part; {@code values} by Kafka's keys ({@code producer_byte_rate}, {@code consumer_byte_rate},
     * {@code request_percentage}, {@code controller_mutation_rate}).
     */
    public record Quota(String user, String clientId, Map<String, Double> values) {

        /** The name that stands for an entity part's default ({@code --entity-default}). */
        public static final String DEFAULT = "<default>";

        public Quota {
            values = Map.copyOf(values);
        }
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
