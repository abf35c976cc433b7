package io.sluice.operator.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.contract.ServiceContract;

/**
 * What {@code spec.security} makes of a cluster: the Secrets it needs, the gateway listener's settings and mounted
 * files, the gateway's HTTPS port, the coordinators' admin password, every pod's member secret, and the principals
 * allowed everything.
 */
public final class ClusterSecurity {

    /** The bootstrap super user the coordinators create, as whom the operator manages users and ACLs. */
    public static final String ADMIN = "admin";
    /** Keys of the cluster CA's Secret. */
    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    /** Keys of a kubernetes.io/tls Secret, as cert-manager writes them. */
    public static final String TLS_CERTIFICATE = "tls.crt";
    public static final String TLS_KEY = "tls.key";
    /** Keys of a user's (and the admin's) Secret. */
    public static final String PASSWORD = "password";
    public static final String SASL_JAAS_CONFIG = "sasl.jaas.config";
    public static final String USER_CERTIFICATE = "user.crt";
    public static final String USER_KEY = "user.key";
    /** The key of the member Secret. */
    public static final String MEMBER_SECRET = "secret";

    static final String SERVER_TLS_VOLUME = "server-tls";
    static final String SERVER_TLS_DIR = "/etc/sluice/tls";
    static final String CLIENT_CA_VOLUME = "client-ca";
    static final String CLIENT_CA_DIR = "/etc/sluice/client-ca";
    /** The name of the gateway's HTTPS port, on its container and its Service. */
    static final String HTTPS_PORT_NAME = "https";

    private ClusterSecurity() {
    }

    /** The cluster's security section, when security is on. */
    public static Optional<SecuritySpec> of(Cluster cluster) {
        return Optional.ofNullable(cluster.spec().getSecurity());
    }

    /** The Secret of the CA the operator made for the cluster: it signs the gateway's and the users' certificates. */
    public static String caSecret(Cluster cluster) {
        return cluster.getMetadata().getName() + "-cluster-ca";
    }

    /** The Secret of the gateway's certificate: the spec's, or the one the operator issues. */
    public static String gatewayTlsSecret(Cluster cluster) {
        return of(cluster).map(SecuritySpec::getTls).map(SecuritySpec.Tls::getSecretName).filter(s -> !s.isBlank())
                .orElse(generatedGatewayTlsSecret(cluster));
    }

    /** The Secret the operator issues the gateway's certificate into when the spec names none. */
    static String generatedGatewayTlsSecret(Cluster cluster) {
        return cluster.getMetadata().getName() + "-gateway-tls";
    }

    /** Whether the spec brings the gateway's certificate, so the operator issues none. */
    static boolean ownGatewayCertificate(Cluster cluster) {
        return !gatewayTlsSecret(cluster).equals(generatedGatewayTlsSecret(cluster));
    }

    /** The Secret of the admin's password and JAAS line (and, with certificate authentication, its certificate). */
    public static String adminSecret(Cluster cluster) {
        return cluster.getMetadata().getName() + "-admin";
    }

    /**
     * The Secret of the member secret every broker, coordinator and gateway of the cluster is given: with it their
     * internal ports and endpoints take members only.
     */
    public static String memberSecret(Cluster cluster) {
        return cluster.getMetadata().getName() + "-member";
    }

    /** The key generation the spec asks of the cluster CA: raised, it replaces the key. */
    static int caKeyGeneration(Cluster cluster) {
        return of(cluster).map(SecuritySpec::getCa).map(SecuritySpec.Ca::getKeyGeneration).orElse(0);
    }

    /** Whether clients of {@code cluster} authenticate with certificates (else with SCRAM-SHA-512). */
    public static boolean certificateAuthentication(Cluster cluster) {
        return of(cluster).map(ClusterSecurity::authentication).map(SecuritySpec.TLS::equals).orElse(false);
    }

    /** The Kafka {@code security.protocol} of the gateway's listener. */
    public static String securityProtocol(Cluster cluster) {
        return of(cluster).isEmpty() ? "PLAINTEXT" : certificateAuthentication(cluster) ? "SSL" : "SASL_SSL";
    }

    /** The principal the operator's admin connection has. */
    public static String adminPrincipal(Cluster cluster) {
        return certificateAuthentication(cluster) ? "User:CN=" + ADMIN : "User:" + ADMIN;
    }

    /** The DNS names the gateway's certificate is for: its Service's, short and qualified, and the advertised host. */
    static List<String> gatewayNames(Cluster cluster) {
        Set<String> names = new LinkedHashSet<>();
        String service = Role.GATEWAY.serviceHost(cluster);
        names.add(service);
        names.add(service + "." + ContainerPlan.CLUSTER_DOMAIN);
        names.add(Role.GATEWAY.objectName(cluster) + "." + cluster.getMetadata().getNamespace());
        names.add(Role.GATEWAY.objectName(cluster));
        String advertised = cluster.spec().getGateways().getAdvertisedHost();
        if (advertised != null && !advertised.isBlank()) {
            names.add(advertised);
        }
        return new ArrayList<>(names);
    }

    /** What the schema cannot check of {@code spec.security}. */
    static void problems(ClusterSpec spec, List<String> problems) {
        SecuritySpec security = spec.getSecurity();
        if (security == null) {
            return;
        }
        String type = authentication(security);
        if (!SecuritySpec.SCRAM_SHA_512.equals(type) && !SecuritySpec.TLS.equals(type)) {
            problems.add("security.authentication.type is \"" + type + "\" but must be "
                    + SecuritySpec.SCRAM_SHA_512 + " or " + SecuritySpec.TLS);
        }
        keepClearOfHttps(problems, "gateways.kafkaPort", spec.getGateways().getKafkaPort());
        keepClearOfHttps(problems, "gateways.httpPort", spec.getGateways().getHttpPort());
        String secretName = security.getTls() == null ? null : security.getTls().getSecretName();
        if (secretName != null && !secretName.isBlank()
                && !secretName.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            problems.add("security.tls.secretName \"" + secretName + "\" is not a Secret name");
        }
        if (security.getCa() != null && security.getCa().getKeyGeneration() < 0) {
            problems.add("security.ca.keyGeneration is " + security.getCa().getKeyGeneration()
                    + " but must be 0 or more");
        }
        for (String user : superUsers(security)) {
            if (user == null || !user.matches("User:\\S.*")) {
                problems.add("security.authorization.superUsers has \"" + user
                        + "\" but every entry must be a principal such as User:alice");
            }
        }
    }

    /** The gateway's settings for its secured listener; none without security. */
    static List<EnvVar> gatewayEnv(Cluster cluster) {
        Optional<SecuritySpec> security = of(cluster);
        if (security.isEmpty()) {
            return List.of();
        }
        List<EnvVar> env = new ArrayList<>();
        env.add(ServiceContainers.env(GatewayContract.SECURITY_PROTOCOL.env(), securityProtocol(cluster)));
        env.add(ServiceContainers.env(GatewayContract.TLS_CERTIFICATE.env(), SERVER_TLS_DIR + "/" + TLS_CERTIFICATE));
        env.add(ServiceContainers.env(GatewayContract.TLS_KEY.env(), SERVER_TLS_DIR + "/" + TLS_KEY));
        // The HTTP API is served over HTTPS from the same certificate files, with Basic logins of the SCRAM users;
        // plain HTTP stays for the probes, and its callers are User:ANONYMOUS. The port is set, not left to Quarkus'
        // default, because the container and the Service declare it.
        env.add(ServiceContainers.env(GatewayContract.HTTPS_PORT.env(),
                Integer.toString(GatewayContract.HTTPS_PORT_DEFAULT)));
        env.add(ServiceContainers.env(GatewayContract.HTTP_AUTHENTICATION.env(), "basic"));
        if (certificateAuthentication(cluster)) {
            env.add(ServiceContainers.env(GatewayContract.TLS_CLIENT_CA.env(), CLIENT_CA_DIR + "/" + CA_CERTIFICATE));
            env.add(ServiceContainers.env(GatewayContract.TLS_CLIENT_AUTH.env(), "required"));
        }
        boolean authorization = security.get().getAuthorization() == null
                || security.get().getAuthorization().isEnabled();
        env.add(ServiceContainers.env(GatewayContract.AUTHORIZATION_ENABLED.env(), Boolean.toString(authorization)));
        if (authorization) {
            Set<String> superUsers = new LinkedHashSet<>();
            superUsers.add(adminPrincipal(cluster));
            superUsers.addAll(superUsers(security.get()));
            env.add(ServiceContainers.env(GatewayContract.SUPER_USERS.env(), String.join(",", superUsers)));
        }
        return env;
    }

    /** The gateway container's HTTPS port; none without security. */
    static List<ContainerPort> gatewayPorts(Cluster cluster) {
        if (of(cluster).isEmpty()) {
            return List.of();
        }
        return List.of(ServiceContainers.port(HTTPS_PORT_NAME, GatewayContract.HTTPS_PORT_DEFAULT));
    }

    /** The gateway Service's HTTPS port, onto the container's; none without security. */
    static List<ServicePort> gatewayServicePorts(Cluster cluster) {
        if (of(cluster).isEmpty()) {
            return List.of();
        }
        return List.of(new ServicePortBuilder().withName(HTTPS_PORT_NAME).withPort(GatewayContract.HTTPS_PORT_DEFAULT)
                .withTargetPort(new IntOrString(HTTPS_PORT_NAME)).build());
    }

    /** The gateway's certificate files, and with certificate authentication the CA clients' must chain to. */
    static List<Volume> gatewayVolumes(Cluster cluster) {
        if (of(cluster).isEmpty()) {
            return List.of();
        }
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(SERVER_TLS_VOLUME).withNewSecret()
                .withSecretName(gatewayTlsSecret(cluster))
                .addNewItem().withKey(TLS_CERTIFICATE).withPath(TLS_CERTIFICATE).endItem()
                .addNewItem().withKey(TLS_KEY).withPath(TLS_KEY).endItem()
                .endSecret().build());
        if (certificateAuthentication(cluster)) {
            // Only the CA's certificate: its key stays with the operator.
            volumes.add(new VolumeBuilder().withName(CLIENT_CA_VOLUME).withNewSecret()
                    .withSecretName(caSecret(cluster))
                    .addNewItem().withKey(CA_CERTIFICATE).withPath(CA_CERTIFICATE).endItem()
                    .endSecret().build());
        }
        return volumes;
    }

    static List<VolumeMount> gatewayMounts(Cluster cluster) {
        if (of(cluster).isEmpty()) {
            return List.of();
        }
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName(SERVER_TLS_VOLUME).withMountPath(SERVER_TLS_DIR)
                .withReadOnly(true).build());
        if (certificateAuthentication(cluster)) {
            mounts.add(new VolumeMountBuilder().withName(CLIENT_CA_VOLUME).withMountPath(CLIENT_CA_DIR)
                    .withReadOnly(true).build());
        }
        return mounts;
    }

    /** The coordinators' admin password, from the admin Secret: it never appears in a pod spec. */
    static List<EnvVar> coordinatorEnv(Cluster cluster) {
        if (of(cluster).isEmpty()) {
            return List.of();
        }
        return List.of(new EnvVarBuilder().withName(CoordinatorContract.ADMIN_PASSWORD.env()).withNewValueFrom()
                .withNewSecretKeyRef().withName(adminSecret(cluster)).withKey(PASSWORD).endSecretKeyRef()
                .endValueFrom().build());
    }

    /** The member secret of every pod of a secured cluster, from the member Secret: it never appears in a pod spec. */
    static List<EnvVar> memberEnv(Cluster cluster) {
        if (of(cluster).isEmpty()) {
            return List.of();
        }
        return List.of(new EnvVarBuilder().withName(ServiceContract.MEMBER_SECRET.env()).withNewValueFrom()
                .withNewSecretKeyRef().withName(memberSecret(cluster)).withKey(MEMBER_SECRET).endSecretKeyRef()
                .endValueFrom().build());
    }

    /** The JAAS line a Kafka client logs in with by SCRAM. */
    public static String scramJaasConfig(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The HTTPS port is fixed, so the gateway Service's other ports must keep clear of it. */
    private static void keepClearOfHttps(List<String> problems, String field, int port) {
        if (port == GatewayContract.HTTPS_PORT_DEFAULT) {
            problems.add(field + " is " + port + " but a secured cluster's gateway Service serves HTTPS there");
        }
    }

    private static String authentication(SecuritySpec security) {
        return security.getAuthentication() == null || security.getAuthentication().getType() == null
                ? SecuritySpec.SCRAM_SHA_512
                : security.getAuthentication().getType();
    }

    private static List<String> superUsers(SecuritySpec security) {
        return security.getAuthorization() == null || security.getAuthorization().getSuperUsers() == null ? List.of()
                : security.getAuthorization().getSuperUsers();
    }
}
