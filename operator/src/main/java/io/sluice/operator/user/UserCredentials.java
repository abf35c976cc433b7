package io.sluice.operator.user;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.sluice.operator.cluster.Cluster;
import io.sluice.operator.cluster.ClusterNames;
import io.sluice.operator.cluster.ClusterSecrets;
import io.sluice.operator.cluster.ClusterSecurity;
import io.sluice.operator.cluster.SecretData;
import io.sluice.protocol.security.CaBundle;
import io.sluice.protocol.security.CertificateAuthority;

/**
 * A user's Secret, named as the user, beside its resource: made once (a password, or a certificate of the cluster
 * CA) and kept while it holds what the user's authentication type needs (a certificate until it nears its expiry,
 * or the CA is renewed: {@link ClusterSecrets#outdates}), so applications reading it are never
 * surprised by a new password.
 */
final class UserCredentials {

    static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(365);

    private final KubernetesClient client;

    UserCredentials(KubernetesClient client) {
        this.client = client;
    }

    /** The user's Secret as it is, or made (again, when it lacks a key its authentication type needs). */
    Secret ensure(User user, Cluster cluster) {
        Secret existing = get(user);
        List<String> keys = user.certificateAuthentication()
                ? List.of(ClusterSecurity.USER_CERTIFICATE, ClusterSecurity.USER_KEY, ClusterSecurity.CA_CERTIFICATE)
                : List.of(ClusterSecurity.PASSWORD, ClusterSecurity.SASL_JAAS_CONFIG);
        CaBundle ca = user.certificateAuthentication() ? ClusterSecrets.authority(client, cluster) : null;
        if (existing != null && keys.stream().allMatch(key -> SecretData.get(existing, key) != null)
                && (ca == null || !ClusterSecrets.outdates(ca, existing, ClusterSecurity.USER_CERTIFICATE))) {
            return existing;
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (ca != null) {
            CertificateAuthority issuer = ca.authority();
            CertificateAuthority.Issued issued = issuer.client(user.userName(), CERTIFICATE_VALIDITY);
            data.put(ClusterSecurity.USER_CERTIFICATE, issued.certificateChainPem(issuer.certificate()));
            data.put(ClusterSecurity.USER_KEY, issued.keyPem());
            data.put(ClusterSecurity.CA_CERTIFICATE, ca.trustedPem());
        } else {
            String password = ClusterSecrets.password();
            data.put(ClusterSecurity.PASSWORD, password);
            data.put(ClusterSecurity.SASL_JAAS_CONFIG, ClusterSecurity.scramJaasConfig(user.userName(), password));
        }
        Secret secret = new SecretBuilder()
                .withNewMetadata().withName(user.userName()).withNamespace(user.getMetadata().getNamespace())
                .addToLabels(ClusterNames.MANAGED_BY_LABEL, ClusterNames.MANAGED_BY)
                .addToLabels("app.kubernetes.io/name", "sluice")
                .addToLabels("sluice.io/user", user.userName())
                .addNewOwnerReference().withApiVersion(user.getApiVersion()).withKind(user.getKind())
                .withName(user.userName()).withUid(user.getMetadata().getUid()).withController(true)
                .withBlockOwnerDeletion(true).endOwnerReference()
                .endMetadata()
                .withType("Opaque")
                .withData(SecretData.encode(data))
                .build();
        return existing == null ? client.resource(secret).create() : client.resource(secret).update();
    }

    Secret get(User user) {
        return client.secrets().inNamespace(user.getMetadata().getNamespace()).withName(user.userName()).get();
    }

    void delete(User user) {
        client.secrets().inNamespace(user.getMetadata().getNamespace()).withName(user.userName()).delete();
    }
}
