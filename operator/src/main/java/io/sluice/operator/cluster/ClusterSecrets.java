package io.sluice.operator.cluster;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sluice.protocol.security.CaBundle;
import io.sluice.protocol.security.CertificateAuthority;
import io.sluice.protocol.security.MemberCredential;

/**
 * The Secrets a secured cluster needs, each made once: the cluster CA, the gateway's certificate (unless the spec
 * names its own), the admin's password and the member secret. They are read from the API server, never from a cache,
 * and an existing one is never replaced, so a CA key or password is never regenerated under running pods and clients;
 * the CA's certificate is renewed with its key ({@link CaBundle}), its key replaced only when the spec asks, and the
 * certificates it issued are issued anew when they near their expiry or when the CA was renewed or given a new key
 * ({@link #outdates}).
 */
public final class ClusterSecrets {

    /** The annotation of the CA Secret that records the key generation of its {@code ca.key}. */
    static final String KEY_GENERATION = "sluice.io/ca-key-generation";
    static final Duration CA_VALIDITY = Duration.ofDays(5 * 365);
    static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(365);
    private static final Logger LOG = Logger.getLogger(ClusterSecrets.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private ClusterSecrets() {
    }

    /**
     * Makes the cluster's missing Secrets and renews what is due; nothing without security. Returns when the CA's
     * {@code ca.crt} is to change next without a spec change (a replaced key's certificates dropped), if it is soon.
     */
    static Optional<Instant> ensure(KubernetesClient client, Cluster cluster) {
        if (ClusterSecurity.of(cluster).isEmpty()) {
            return Optional.empty();
        }
        CaBundle ca = authority(client, cluster);
        CertificateAuthority issuer = ca.authority();
        if (!ClusterSecurity.ownGatewayCertificate(cluster)) {
            Supplier<Map<String, String>> gatewayCertificate = () -> {
                CertificateAuthority.Issued issued = issuer.server(ClusterSecurity.gatewayNames(cluster),
                        CERTIFICATE_VALIDITY);
                return Map.of(ClusterSecurity.TLS_CERTIFICATE, issued.certificateChainPem(issuer.certificate()),
                        ClusterSecurity.TLS_KEY, issued.keyPem(),
                        ClusterSecurity.CA_CERTIFICATE, ca.trustedPem());
            };
            renewDue(client, ensure(client, cluster, ClusterSecurity.gatewayTlsSecret(cluster), "kubernetes.io/tls",
                    gatewayCertificate), ClusterSecurity.TLS_CERTIFICATE, ca, gatewayCertificate);
        }
        Supplier<Map<String, String>> adminCertificate = () -> {
            CertificateAuthority.Issued certificate = issuer.client(ClusterSecurity.ADMIN, CERTIFICATE_VALIDITY);
            return Map.of(ClusterSecurity.USER_CERTIFICATE, certificate.certificateChainPem(issuer.certificate()),
                    ClusterSecurity.USER_KEY, certificate.keyPem(),
                    ClusterSecurity.CA_CERTIFICATE, ca.trustedPem());
        };
        Secret admin = ensure(client, cluster, ClusterSecurity.adminSecret(cluster), "Opaque", () -> {
            String password = password();
            Map<String, String> data = new LinkedHashMap<>();
            data.put(ClusterSecurity.PASSWORD, password);
            data.put(ClusterSecurity.SASL_JAAS_CONFIG, ClusterSecurity.scramJaasConfig(ClusterSecurity.ADMIN, password));
            data.putAll(adminCertificate.get());
            return data;
        });
        renewDue(client, admin, ClusterSecurity.USER_CERTIFICATE, ca, adminCertificate);
        // A new member secret under running pods would split the cluster: each restarted pod a stranger to the rest.
        ensure(client, cluster, ClusterSecurity.memberSecret(cluster), "Opaque",
                () -> Map.of(ClusterSecurity.MEMBER_SECRET, MemberCredential.newSecret()));
        return ca.replacedKeyDropped();
    }

    /**
     * The cluster's CA, made into its Secret the first time, given a new key there when the spec's
     * {@code security.ca.keyGeneration} is above the Secret's {@value #KEY_GENERATION}, and renewed when it nears its
     * expiry ({@link CaBundle#current}); of two racing changes the first wins.
     */
    public static CaBundle authority(KubernetesClient client, Cluster cluster) {
        String wantedGeneration = Integer.toString(ClusterSecurity.caKeyGeneration(cluster));
        Secret secret = ensure(client, cluster, ClusterSecurity.caSecret(cluster), "Opaque", () -> {
            CertificateAuthority made = CertificateAuthority.create(cluster.getMetadata().getName() + "-cluster-ca",
                    CA_VALIDITY);
            return Map.of(ClusterSecurity.CA_CERTIFICATE, made.certificatePem(), ClusterSecurity.CA_KEY,
                    made.keyPem());
        }, Map.of(KEY_GENERATION, wantedGeneration));
        CaBundle kept = read(secret);
        boolean replaceKey = ClusterSecurity.caKeyGeneration(cluster) > keyGeneration(secret);
        CaBundle current = (replaceKey ? kept.withNewKey(CA_VALIDITY) : kept).current(Instant.now(), CA_VALIDITY);
        if (current == kept) {
            return kept;
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(ClusterSecurity.CA_CERTIFICATE, current.trustedPem());
        if (!replaceKey) {
            return read(update(client, secret, values, Map.of()));
        }
        values.put(ClusterSecurity.CA_KEY, current.authority().keyPem());
        Secret replaced = update(client, secret, values, Map.of(KEY_GENERATION, wantedGeneration));
        if (current.authority().keyPem().equals(SecretData.get(replaced, ClusterSecurity.CA_KEY))) {
            LOG.infof("Replaced the key of the CA in Secret %s/%s (key generation %s): the certificates it issued are"
                    + " issued anew, and its earlier certificates stay in ca.crt for %d hours", namespace(cluster),
                    secret.getMetadata().getName(), wantedGeneration, CaBundle.REPLACED_KEY_GRACE.toHours());
        }
        return read(replaced);
    }

    /** The key generation a CA Secret records; 0 for one made before generations were recorded. */
    private static int keyGeneration(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        String generation = annotations == null ? null : annotations.get(KEY_GENERATION);
        try {
            return generation == null ? 0 : Integer.parseInt(generation);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static CaBundle read(Secret secret) {
        return CaBundle.fromPem(SecretData.get(secret, ClusterSecurity.CA_CERTIFICATE),
                SecretData.get(secret, ClusterSecurity.CA_KEY));
    }

    /**
     * Whether the certificate a Secret holds under {@code certificateKey} is to be issued anew: near its expiry, or
     * issued before the CA's {@code ca.crt} became what it is now ({@link CaBundle#outdates}).
     */
    public static boolean outdates(CaBundle ca, Secret secret, String certificateKey) {
        return ca.outdates(SecretData.get(secret, certificateKey),
                SecretData.get(secret, ClusterSecurity.CA_CERTIFICATE));
    }

    /** A random password of 32 letters and digits (190 bits). */
    public static String password() {
        StringBuilder password = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    /**
     * Issues the certificate under {@code key} anew when the CA {@linkplain #outdates outdates} it, keeping
     * the Secret's other values.
     */
    private static void renewDue(KubernetesClient client, Secret secret, String key, CaBundle ca,
            Supplier<Map<String, String>> certificate) {
        if (outdates(ca, secret, key)) {
            update(client, secret, certificate.get(), Map.of());
        }
    }

    /**
     * The Secret with {@code values} put over its own; of two racing updates the first wins, and the loser gets the
     * Secret as the winner left it.
     */
    private static Secret update(KubernetesClient client, Secret secret, Map<String, String> values,
            Map<String, String> annotations) {
        Map<String, String> data = new LinkedHashMap<>(secret.getData());
        data.putAll(SecretData.encode(values));
        try {
            return client.secrets().inNamespace(secret.getMetadata().getNamespace())
                    .resource(new SecretBuilder(secret).withData(data).editMetadata().addToAnnotations(annotations)
                            .endMetadata().build())
                    .update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return client.secrets().inNamespace(secret.getMetadata().getNamespace())
                    .withName(secret.getMetadata().getName()).get();
        }
    }

    private static Secret ensure(KubernetesClient client, Cluster cluster, String name, String type,
            Supplier<Map<String, String>> data) {
        return ensure(client, cluster, name, type, data, Map.of());
    }

    /**
     * The Secret as it is, or made from {@code data} with {@code annotations} when there is none; of two racing makers
     * the first wins.
     */
    private static Secret ensure(KubernetesClient client, Cluster cluster, String name, String type,
            Supplier<Map<String, String>> data, Map<String, String> annotations) {
        String namespace = namespace(cluster);
        Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
        if (existing != null) {
            return existing;
        }
        Secret secret = new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(ClusterNames.labels(cluster, "security")).withAnnotations(annotations)
                .addNewOwnerReference().withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                .withName(cluster.getMetadata().getName()).withUid(cluster.getMetadata().getUid())
                .withBlockOwnerDeletion(true).withController(true).endOwnerReference()
                .endMetadata()
                .withType(type)
                .withData(SecretData.encode(data.get()))
                .build();
        try {
            return client.secrets().inNamespace(namespace).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return client.secrets().inNamespace(namespace).withName(name).get();
        }
    }

    private static String namespace(Cluster cluster) {
        return cluster.getMetadata().getNamespace();
    }
}
