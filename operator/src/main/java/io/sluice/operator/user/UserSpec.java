package io.sluice.operator.user;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How a {@link User} logs in, what it may do, and how much. */
public class UserSpec {

    public static final String SCRAM_SHA_512 = "scram-sha-512";
    public static final String TLS = "tls";

    private Authentication authentication = new Authentication();

    private Authorization authorization = new Authorization();

    @JsonPropertyDescription("Client quotas of Kafka's entity user=<user> (user=CN=<user> for tls), kept exactly so: a quota left out is removed")
    private Quotas quotas;

    /** How the user proves who it is. */
    public static class Authentication {

        @JsonPropertyDescription("scram-sha-512: a generated password in Secret <user> (password, sasl.jaas.config); tls: a client certificate of the cluster CA in Secret <user> (user.crt, user.key, ca.crt), principal User:CN=<user>")
        @Pattern("^(scram-sha-512|tls)$")
        @Required
        private String type;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }
    }

    /** The user's ACLs: the operator keeps exactly these for the user's principal. */
    public static class Authorization {

        private List<AclRule> acls = new ArrayList<>();

        public List<AclRule> getAcls() {
            return acls;
        }

        public void setAcls(List<AclRule> acls) {
            this.acls = acls;
        }
    }

    /**
     * The user's client quotas, as Strimzi's KafkaUser writes them: Kafka's quotas of the entity {@code user=<user>}
     * ({@code CN=<user>} for tls), kept exactly so; a quota left out is none.
     */
    public static class Quotas {

        @JsonPropertyDescription("Kafka's producer_byte_rate: bytes per second the user's producers may send, per gateway")
        @Min(value = 0, inclusive = false)
        private Long producerByteRate;

        @JsonPropertyDescription("Kafka's consumer_byte_rate: bytes per second the user's consumers may fetch, per gateway")
        @Min(value = 0, inclusive = false)
        private Long consumerByteRate;

        @JsonPropertyDescription("Kafka's request_percentage: percent of one thread's time the gateway may spend on the user's requests")
        @Min(value = 0, inclusive = false)
        private Integer requestPercentage;

        @JsonPropertyDescription("Kafka's controller_mutation_rate: partitions created or deleted per second")
        @Min(value = 0, inclusive = false)
        private Double controllerMutationRate;

        public Long getProducerByteRate() {
            return producerByteRate;
        }

        public void setProducerByteRate(Long producerByteRate) {
            this.producerByteRate = producerByteRate;
        }

        public Long getConsumerByteRate() {
            return consumerByteRate;
        }

        public void setConsumerByteRate(Long consumerByteRate) {
            this.consumerByteRate = consumerByteRate;
        }

        public Integer getRequestPercentage() {
            return requestPercentage;
        }

        public void setRequestPercentage(Integer requestPercentage) {
            this.requestPercentage = requestPercentage;
        }

        public Double getControllerMutationRate() {
            return controllerMutationRate;
        }

        public void setControllerMutationRate(Double controllerMutationRate) {
            this.controllerMutationRate = controllerMutationRate;
        }
    }

    /** One ACL, as Strimzi's KafkaUser writes it. */
    public static class AclRule {

        @Required
        private AclResource resource;

        @JsonPropertyDescription("Kafka operations: Read, Write, Create, Delete, Alter, Describe, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, All")
        @Required
        private List<String> operations = new ArrayList<>();

        @JsonPropertyDescription("Host the rule applies to; * for any")
        @Default("\"*\"")
        private String host = "*";

        @JsonPropertyDescription("allow or deny; a deny wins over any allow")
        @Pattern("^(allow|deny)$")
        @Default("allow")
        private String type = "allow";

        public AclResource getResource() {
            return resource;
        }

        public void setResource(AclResource resource) {
            this.resource = resource;
        }

        public List<String> getOperations() {
            return operations;
        }

        public void setOperations(List<String> operations) {
            this.operations = operations;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }
    }

    /** What an ACL is about. */
    public static class AclResource {

        @JsonPropertyDescription("topic, group, cluster or transactionalId")
        @Pattern("^(topic|group|cluster|transactionalId)$")
        @Required
        private String type;

        @JsonPropertyDescription("The resource's name, or its prefix; * for every one. Not used for cluster")
        private String name;

        @JsonPropertyDescription("literal or prefix")
        @Pattern("^(literal|prefix)$")
        @Default("literal")
        private String patternType = "literal";

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getPatternType() {
            return patternType;
        }

        public void setPatternType(String patternType) {
            this.patternType = patternType;
        }
    }

    /** The authentication type; null when the spec has none. */
    String authenticationType() {
        return authentication == null ? null : authentication.getType();
    }

    /** The ACL rules; empty when the spec has none. */
    List<AclRule> acls() {
        return authorization == null || authorization.getAcls() == null ? List.of() : authorization.getAcls();
    }

    public Quotas getQuotas() {
        return quotas;
    }

    public void setQuotas(Quotas quotas) {
        this.quotas = quotas;
    }

    public Authentication getAuthentication() {
        return authentication;
    }

    public void setAuthentication(Authentication authentication) {
        this.authentication = authentication;
    }

    public Authorization getAuthorization() {
        return authorization;
    }

    public void setAuthorization(Authorization authorization) {
        this.authorization = authorization;
    }
}
