package io.sluice.operator.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sluice.protocol.contract.ServiceContract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The containers of a {@link Cluster} as its pods would run them, for a container engine without Kubernetes
 * (podman): taken from the very pod templates the operator puts in its StatefulSets and Deployment, with what
 * Kubernetes adds resolved — the ConfigMap's environment, the pod's name and IP, {@code $(VAR)} references, named probe
 * ports, the DNS names of the pods and of their Services.
 * <p>
 * {@code sluice up --containers} runs {@link #main} in the operator's image: the Cluster's YAML on standard input,
 * the plan as JSON on standard output.
 */
public final class ContainerPlan {

    /** Kubernetes' cluster domain: pods and Services are found under it. */
    static final String CLUSTER_DOMAIN = "cluster.local";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /**
     * One pod's container.
     *
     * @param name the pod's name, also the container's name and host name
     * @param role the {@link Role}'s component
     * @param address the pod's IP on the pods' network
     * @param dnsNames the names that resolve to the pod: its own, and its Services' (a headless Service's name
     *        resolves to every pod behind it)
     * @param command the container's command, or empty for the image's entrypoint
     * @param env the container's environment, in the order Kubernetes sets it
     * @param ports the container's ports by name
     * @param published the ports of the role's client-facing Service, as host port → container port
     * @param dataDir where the pod's volume is mounted, or null for a pod without one
     * @param volumeGroup the group that owns the volume (the pod's fsGroup), or null
     * @param terminationGraceSeconds how long a stopping container may take before it is killed
     */
    public record Pod(String name, String role, String address, List<String> dnsNames, String image,
            List<String> command, Map<String, String> env, Map<String, Integer> ports,
            Map<Integer, Integer> published, String dataDir, Long volumeGroup, Probe startup, Probe liveness,
            Probe readiness, long terminationGraceSeconds) {
    }

    /** An HTTP GET probe, as a pod spec declares it. */
    public record Probe(String path, int port, int periodSeconds, int timeoutSeconds, int failureThreshold) {
    }

    private ContainerPlan() {
    }

    /**
     * The cluster's pods in start order (coordinators, brokers, gateways), numbered as StatefulSets number theirs;
     * pod n of the plan gets the address {@code networkPrefix.(10 + n)}.
     *
     * @param networkPrefix the first three octets of the pods' /24 network, e.g. {@code 10.89.7}
     */
    public static List<Pod> of(Cluster cluster, String networkPrefix) {
        if (cluster.spec().getSecurity() != null) {
            // Its Secrets exist only in Kubernetes: the files mounted from them, and the member secret and admin
            // password every secured pod reads by secretKeyRef.
            throw new IllegalArgumentException("spec.security needs Kubernetes: containers without it run a cluster"
                    + " without security only");
        }
        List<Pod> pods = new ArrayList<>();
        add(pods, cluster, Role.COORDINATOR, CoordinatorStatefulSet.podTemplate(cluster), networkPrefix);
        add(pods, cluster, Role.BROKER, BrokerStatefulSet.podTemplate(cluster), networkPrefix);
        add(pods, cluster, Role.GATEWAY, GatewayDeployment.podTemplate(cluster), networkPrefix);
        return pods;
    }

    private static void add(List<Pod> pods, Cluster cluster, Role role, PodTemplateSpec template,
            String networkPrefix) {
        PodSpec spec = template.getSpec();
        Container container = spec.getContainers().get(0);
        for (int ordinal = 0; ordinal < role.spec(cluster).getReplicas(); ordinal++) {
            // A Deployment's pods get random suffixes; the plan numbers them as a StatefulSet would.
            String name = role.objectName(cluster) + "-" + ordinal;
            String address = networkPrefix + "." + (10 + pods.size());
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (ContainerPort port : container.getPorts()) {
                ports.put(port.getName(), port.getContainerPort());
            }
            String dataDir = container.getVolumeMounts().stream().findFirst().map(m -> m.getMountPath())
                    .orElse(null);
            Long volumeGroup = spec.getSecurityContext() == null ? null : spec.getSecurityContext().getFsGroup();
            List<String> command = new ArrayList<>();
            if (container.getCommand() != null) {
                command.addAll(container.getCommand());
            }
            if (container.getArgs() != null) {
                command.addAll(container.getArgs());
            }
            pods.add(new Pod(name, role.component(), address, dnsNames(cluster, role, name), container.getImage(),
                    command, environment(cluster, container, name, address), ports, published(cluster, role),
                    dataDir, volumeGroup, probe(container.getStartupProbe(), ports),
                    probe(container.getLivenessProbe(), ports), probe(container.getReadinessProbe(), ports),
                    spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds()));
        }
    }

    /**
     * What Kubernetes' DNS answers with the pod's address: for a pod of a StatefulSet, its own name under the
     * headless Service, and the Service's name (whose records are all its pods'); for a gateway, its Service's name.
     * Each as written in the pods' settings (under {@code .svc}) and fully qualified.
     */
    static List<String> dnsNames(Cluster cluster, Role role, String podName) {
        List<String> names = new ArrayList<>();
        String service = role.serviceHost(cluster);
        if (role.peers() != null) {
            names.add(podName + "." + service);
            names.add(podName + "." + service + "." + CLUSTER_DOMAIN);
        }
        names.add(service);
        names.add(service + "." + CLUSTER_DOMAIN);
        return names;
    }

    /** The gateway Service's ports (what clients connect to) onto the container's; other roles publish none. */
    private static Map<Integer, Integer> published(Cluster cluster, Role role) {
        Map<Integer, Integer> published = new LinkedHashMap<>();
        if (role == Role.GATEWAY) {
            GatewaysSpec gateways = cluster.spec().getGateways();
            published.put(gateways.getKafkaPort(), role.listener().port());
            published.put(gateways.getHttpPort(), ServiceContract.HTTP_PORT_DEFAULT);
        }
        return published;
    }

    /**
     * The environment as the kubelet builds it: the ConfigMap's entries, then the container's own variables in order
     * (a later one wins), the downward API's pod name and IP filled in, {@code $(NAME)} replaced by a variable defined
     * before it.
     */
    static Map<String, String> environment(Cluster cluster, Container container, String podName, String podIp) {
        Map<String, String> env = new LinkedHashMap<>(ClusterEnvironment.of(cluster));
        for (EnvVar variable : container.getEnv()) {
            String value;
            if (variable.getValueFrom() != null) {
                String field = variable.getValueFrom().getFieldRef().getFieldPath();
                value = switch (field) {
                    case "metadata.name" -> podName;
                    case "status.podIP" -> podIp;
                    default -> throw new IllegalStateException("No value for the pod field " + field);
                };
            } else {
                value = expand(variable.getValue(), env);
            }
            env.remove(variable.getName());
            env.put(variable.getName(), value);
        }
        return env;
    }

    /** {@code $(NAME)} replaced by the variable's value; a name not defined stays as it is, as in Kubernetes. */
    static String expand(String value, Map<String, String> defined) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String replacement = defined.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(expanded).toString();
    }

    private static Probe probe(io.fabric8.kubernetes.api.model.Probe probe, Map<String, Integer> ports) {
        if (probe == null || probe.getHttpGet() == null) {
            return null;
        }
        IntOrString port = probe.getHttpGet().getPort();
        int number = port.getIntVal() != null ? port.getIntVal() : ports.get(port.getStrVal());
        return new Probe(probe.getHttpGet().getPath(), number, probe.getPeriodSeconds(), probe.getTimeoutSeconds(),
                probe.getFailureThreshold());
    }

    /**
     * Prints the plan of the Cluster whose YAML is on standard input (or in the file named by {@code --file}) as JSON;
     * {@code --network-prefix A.B.C} gives the pods' /24 network.
     */
    public static void main(String[] args) throws IOException {
        String networkPrefix = "10.89.0";
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--network-prefix" -> networkPrefix = args[++i];
                case "--file" -> file = Path.of(args[++i]);
                default -> {
                    System.err.println("Usage: ContainerPlan [--network-prefix A.B.C] [--file CLUSTER.yaml]");
                    System.exit(2);
                }
            }
        }
        Cluster cluster;
        try (InputStream in = file == null ? System.in : Files.newInputStream(file)) {
            cluster = new KubernetesSerialization().unmarshal(in, Cluster.class);
        }
        if (cluster.getMetadata().getNamespace() == null) {
            cluster.getMetadata().setNamespace("default");
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(System.out, of(cluster, networkPrefix));
    }
}
