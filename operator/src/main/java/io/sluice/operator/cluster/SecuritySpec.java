package io.sluice.operator.cluster;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A cluster's security: TLS on the gateway's Kafka listener, how clients authenticate, and whether Kafka's ACLs are
 * enforced. Present (even empty) means on.
 */
public class SecuritySpec {

    /** Clients log in with SCRAM-SHA-512 over TLS: the listener is SASL_SSL. */
    public static final String SCRAM_SHA_512 = "scram-sha-512";
    /** Clients present a certificate of the cluster CA: the listener is SSL with client certificates required. */
    public static final String TLS = "tls";

    private Tls tls = new Tls();

    private Authentication authentication = new Authentication();

    private Authorization authorization = new Authorization();

    private Ca ca = new Ca();

    /** The gateway's server certificate. */
    public static class Tls {

        @JsonPropertyDescription("A kubernetes.io/tls Secret (tls.crt, tls.key, ca.crt, as cert-manager writes it) holding the gateway's certificate; when unset the operator issues one from the cluster CA into <cluster>-gateway-tls")
        private String secretName;

        public String getSecretName() {
            return secretName;
        }

        public void setSecretName(String secretName) {
            this.secretName = secretName;
        }
    }

    /** How clients prove who they are. */
    public static class Authentication {

        @JsonPropertyDescription("scram-sha-512: SASL_SSL, users log in with a password; tls: SSL, users present a client certificate of the cluster CA")
        @Pattern("^(scram-sha-512|tls)$")
        @Default(SCRAM_SHA_512)
        private String type = SCRAM_SHA_512;

        public String getType() {
            return type;
        }

        public void setType(String type) {
            this.type = type;
        }
    }

    /** Whether Kafka's ACLs are checked, and who is allowed everything. */
    public static class Authorization {

        @JsonPropertyDescription("Whether every request is checked against Kafka's ACLs")
        @Default("true")
        private boolean enabled = true;

        @JsonPropertyDescription("Principals allowed everything besides the operator's admin, e.g. User:ops or User:CN=ops")
        private List<String> superUsers = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public List<String> getSuperUsers() {
            return superUsers;
        }

        public void setSuperUsers(List<String> superUsers) {
            this.superUsers = superUsers;
        }
    }

    /** The CA the operator makes for the cluster. */
    public static class Ca {

        @JsonPropertyDescription("Raise it to replace the cluster CA's key: every certificate the CA issued is issued anew with the new key, clients must take the new ca.crt (TLS to the gateway fails for those that kept the old one), and certificates of the old key stay trusted for a day")
        @Min(0)
        @Default("0")
        private int keyGeneration;

        public int getKeyGeneration() {
            return keyGeneration;
        }

        public void setKeyGeneration(int keyGeneration) {
            this.keyGeneration = keyGeneration;
        }
    }

    public Tls getTls() {
        return tls;
    }

    public void setTls(Tls tls) {
        this.tls = tls;
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

    public Ca getCa() {
        return ca;
    }

    public void setCa(Ca ca) {
        this.ca = ca;
    }
}
