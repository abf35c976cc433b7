package io.sluice.operator.cluster;

import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.sluice.protocol.contract.ServiceContract;

/** The parts every Sluice service container shares: image, configuration, health probes, ports, data volume. */
final class ServiceContainers {

    static final String DATA_VOLUME = "data";
    static final String DATA_DIR = "/var/lib/sluice";
    /** The Quarkus JVM images' launcher, which appends {@code JAVA_OPTS_APPEND} to the JVM's options. */
    static final String RUN_JAVA = "/opt/jboss/container/java/run/run-java.sh";
    /** What the images' own {@code JAVA_OPTS_APPEND} holds; the spec's options come after it, not instead. */
    static final String IMAGE_JAVA_OPTS = "-Dquarkus.http.host=0.0.0.0 "
            + "-Djava.util.logging.manager=org.jboss.logmanager.LogManager";
    /** The images' user: owns the data volume through the pod's fsGroup. */
    static final long IMAGE_USER = 185;
    static final String CONFIG_HASH = "sluice.io/config-hash";

    private ServiceContainers() {
    }

    /**
     * A container of {@code role}, with the resources and JVM options of its spec, that reads the cluster's ConfigMap,
     * is given the member secret of a secured cluster, and is probed on its health endpoints.
     */
    static ContainerBuilder container(Cluster cluster, Role role, List<EnvVar> env, List<ContainerPort> ports) {
        RoleSpec spec = role.spec(cluster);
        String jvmOptions = spec.getJvmOptions();
        List<EnvVar> all = new ArrayList<>(env);
        all.addAll(ClusterSecurity.memberEnv(cluster));
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            all.add(new EnvVar("JAVA_OPTS_APPEND", IMAGE_JAVA_OPTS + " " + jvmOptions, null));
        }
        List<ContainerPort> allPorts = new ArrayList<>(ports);
        allPorts.add(port("http", ServiceContract.HTTP_PORT_DEFAULT));
        return new ContainerBuilder()
                .withName(role.service())
                .withImage(ClusterNames.image(cluster, role))
                .withImagePullPolicy(cluster.spec().getImagePullPolicy().name())
                .addNewEnvFrom().withNewConfigMapRef().withName(ClusterNames.config(cluster)).endConfigMapRef()
                .endEnvFrom()
                .withEnv(all)
                .withPorts(allPorts)
                .withResources(spec.getResources())
                // A store that replays its files may take a while: the startup probe gives it time before liveness.
                .withStartupProbe(probe(ServiceContract.STARTED_PATH, 60))
                .withLivenessProbe(probe(ServiceContract.LIVE_PATH, 3))
                .withReadinessProbe(probe(ServiceContract.READY_PATH, 3));
    }

    /** The metadata of a pod template of {@code role}: its labels, and the hash that rolls its pods on new settings. */
    static ObjectMeta podMetadata(Cluster cluster, Role role) {
        return new ObjectMetaBuilder()
                .withLabels(role.labels(cluster))
                .addToAnnotations(CONFIG_HASH, ClusterEnvironment.hash(ClusterEnvironment.of(cluster)))
                .build();
    }

    static ContainerPort port(String name, int port) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withProtocol("TCP").build();
    }

    /** The pod's own name and IP, and names built from them ({@code $(POD_NAME)} is expanded by the kubelet). */
    static List<EnvVar> podIdentity() {
        return List.of(
                new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.name").endFieldRef().endValueFrom().build(),
                new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
    }

    /** The settings of the role's Kafka listener: its port, and the host it advertises. */
    static List<EnvVar> listenerEnv(Role role, String advertisedHost) {
        Role.Listener listener = role.listener();
        return List.of(env(listener.portSetting().env(), Integer.toString(listener.port())),
                env(listener.advertisedHostSetting().env(), advertisedHost));
    }

    static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    /** The claim template of each pod's data volume. */
    static PersistentVolumeClaim dataClaim(StorageSpec storage) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(DATA_VOLUME).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storage.getStorageClass())
                .withNewResources().addToRequests("storage", new Quantity(storage.getSize())).endResources()
                .endSpec()
                .build();
    }

    private static Probe probe(String path, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(5)
                .withTimeoutSeconds(3)
                .withFailureThreshold(failureThreshold)
                .build();
    }
}
