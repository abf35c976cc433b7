package io.sluice.cli.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.sluice.protocol.contract.CoordinatorContract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Sluice cluster of podman containers, each run as the operator runs its pod. The operator's own code renders the
 * containers (its {@code ContainerPlan}, run in the operator's image, from the same pod templates as its StatefulSets
 * and Deployment); this class only hands them to podman: names and host names of StatefulSet pods, a network whose DNS
 * answers the pods' and Services' names, the environment, the entrypoint, a volume per pod owned by the images' user,
 * the readiness probe as the health check.
 * <p>
 * One such cluster at a time on a machine (its containers are named as the pods are); its volumes and its Cluster
 * resource stay under {@code DATA/containers}.
 */
public final class ContainerCluster {

    /** The Cluster resource's name: the prefix of every container's name. */
    public static final String NAME = "sluice";
    /** The podman network of the pods, a /24 whose DNS answers the names Kubernetes' DNS would. */
    static final String NETWORK = "sluice";
    static final String NETWORK_PREFIX = "10.89.42";
    static final String CLUSTER_LABEL = "io.sluice.cluster";
    /** The images' repository prefix: podman's local images, never a registry. */
    static final String IMAGE_PREFIX = "localhost/sluice";
    static final List<String> IMAGES = List.of("coordinator-service", "broker-service", "gateway-service", "operator");
    private static final String PLAN_MAIN = "io.sluice.operator.cluster.ContainerPlan";
    private static final String FAST_JAR_CLASSPATH = "/deployments/app/*:/deployments/lib/main/*:/deployments/lib/boot/*";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A pod of the plan, as {@code sluice status} lists it. */
    public record PodState(String name, String role, String address, String state, String health,
            Map<Integer, Integer> published) {

        public boolean ready() {
            return "healthy".equals(health);
        }
    }

    private final Path home;
    private final Path dir;
    private final Podman podman;

    private ContainerCluster(Path home, Path dataDir, Podman podman) {
        this.home = home;
        this.dir = dataDir.resolve("containers");
        this.podman = podman;
    }

    /** The container cluster recorded in {@code dataDir} by an earlier {@code sluice up --containers}. */
    public static Optional<ContainerCluster> recorded(Path home, Path dataDir) {
        ContainerCluster cluster = new ContainerCluster(home, dataDir, new Podman());
        return Files.isRegularFile(cluster.specFile()) ? Optional.of(cluster) : Optional.empty();
    }

    /** A new container cluster in {@code dataDir}, or the one recorded there. */
    public static ContainerCluster in(Path home, Path dataDir) {
        return new ContainerCluster(home, dataDir, new Podman());
    }

    /**
     * The Cluster resource {@code sluice up --containers} runs: the images of this version from podman's local store,
     * {@code brokers} brokers, {@code coordinators} coordinator replicas, the heaps of the local cluster, and a gateway
     * that advertises the host's loopback, where its Service's ports are published.
     */
    public static String clusterResource(String version, int brokers, int coordinators, int kafkaPort, int httpPort,
            Map<String, String> heaps) {
        return """
                apiVersion: sluice.io/v1alpha1
                kind: Cluster
                metadata:
                  name: %s
                  namespace: default
                spec:
                  image: %s
                  version: "%s"
                  imagePullPolicy: Never
                  coordinators:
                    replicas: %d
                    jvmOptions: "-Xmx%s"
                  brokers:
                    replicas: %d
                    jvmOptions: "-Xmx%s"
                  gateways:
                    replicas: 1
                    kafkaPort: %d
                    httpPort: %d
                    advertisedHost: 127.0.0.1
                    jvmOptions: "-Xmx%s"
                """.formatted(NAME, IMAGE_PREFIX, version, coordinators, heaps.get("coordinator"), brokers,
                heaps.get("broker"), kafkaPort, httpPort, heaps.get("gateway"));
    }

    public Path specFile() {
        return dir.resolve("cluster.yaml");
    }

    /**
     * Starts the cluster, or what of it is not running: builds the images if any is missing, renders the plan with the
     * operator's image, then runs each pod's container (a stopped one is started again on its volume; a missing one is
     * created, on its volume as it is, an empty one for a new pod) and waits until every one is ready.
     *
     * @param resource the Cluster resource of a new cluster; a recorded cluster keeps its own
     */
    public void up(String resource, String version, Consumer<String> out, Duration timeout) {
        if (!podman.available()) {
            throw new ContainerException("podman is not installed or does not run; install it with: "
                    + "apt-get install podman runc uidmap slirp4netns netavark aardvark-dns mmdebstrap");
        }
        write(resource, out);
        buildMissingImages(version, out);
        List<JsonNode> pods = plan(version);
        if (!podman.call(null, "network", "exists", NETWORK).ok()) {
            podman.run("network", "create", "--subnet", NETWORK_PREFIX + ".0/24", NETWORK);
        }
        for (JsonNode pod : pods) {
            String name = pod.path("name").asText();
            String state = state(name);
            switch (state) {
                case "running" -> out.accept(String.format("  %-22s running", name));
                case "absent" -> {
                    podman.run(null, runArguments(pod));
                    out.accept(String.format("  %-22s created%s", name,
                            pod.path("dataDir").isNull() ? "" : " on " + volume(name)));
                }
                default -> {
                    podman.run("start", name);
                    out.accept(String.format("  %-22s %s: started again on its volume", name, state));
                }
            }
        }
        awaitReady(pods, out, timeout);
    }

    /** Stops and removes every container, last started first; their volumes stay in the data directory. */
    public void down(Consumer<String> out) {
        List<JsonNode> pods = new ArrayList<>(recordedPlan());
        Collections.reverse(pods);
        for (JsonNode pod : pods) {
            String name = pod.path("name").asText();
            if (state(name).equals("absent")) {
                continue;
            }
            long started = System.nanoTime();
            podman.run("stop", "--time", pod.path("terminationGraceSeconds").asText("30"), name);
            podman.run("rm", "--force", name);
            out.accept(String.format("  %-22s stopped in %.1fs", name, (System.nanoTime() - started) / 1e9));
        }
        if (podman.call(null, "network", "exists", NETWORK).ok()) {
            podman.call(null, "network", "rm", NETWORK);
        }
    }

    /** Each pod's container: its state, and its readiness probe's answer now (podman runs no timers here). */
    public List<PodState> status() {
        List<PodState> states = new ArrayList<>();
        for (JsonNode pod : recordedPlan()) {
            String name = pod.path("name").asText();
            String state = state(name);
            String health = state.equals("running") ? health(name) : "-";
            Map<Integer, Integer> published = new LinkedHashMap<>();
            pod.path("published").fields().forEachRemaining(p -> published.put(Integer.valueOf(p.getKey()),
                    p.getValue().asInt()));
            states.add(new PodState(name, pod.path("role").asText(), pod.path("address").asText(), state, health,
                    published));
        }
        return states;
    }

    /**
     * The active coordinator's {@code GET /cluster} (brokers with liveness, topics with leaders), asked inside each
     * coordinator's container in turn, since their ports are not published; standbys answer 503.
     */
    public Optional<JsonNode> clusterView() {
        for (JsonNode pod : recordedPlan()) {
            if (!pod.path("role").asText().equals("coordinator") || !state(pod.path("name").asText()).equals("running")) {
                continue;
            }
            Podman.Result answer = podman.call(null, "exec", pod.path("name").asText(), "bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/" + pod.path("ports").path("http").asInt()
                            + " && printf 'GET " + CoordinatorContract.CLUSTER_PATH
                            + " HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3");
            String response = answer.out();
            int body = response.indexOf("\r\n\r\n");
            if (answer.ok() && body > 0 && response.matches("(?s)HTTP/1\\.[01] 200 .*")) {
                try {
                    return Optional.of(JSON.readTree(response.substring(body + 4)));
                } catch (IOException e) {
                    // not the view: ask the next replica
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the plan was rendered here: a cluster that was never up has none. */
    public boolean planned() {
        return Files.isRegularFile(dir.resolve("plan.json"));
    }

    /** Where the pod's volume lives on the host. */
    public Path volume(String pod) {
        return dir.resolve("volumes").resolve(pod);
    }

    private void write(String resource, Consumer<String> out) {
        try {
            Files.createDirectories(dir);
            if (!Files.exists(specFile())) {
                Files.writeString(specFile(), resource);
            } else if (!Files.readString(specFile()).equals(resource)) {
                out.accept("  (the cluster recorded in " + specFile() + " runs as it was created there)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void buildMissingImages(String version, Consumer<String> out) {
        List<String> missing = IMAGES.stream()
                .filter(image -> !podman.call(null, "image", "exists", image(image, version)).ok()).toList();
        if (missing.isEmpty()) {
            return;
        }
        out.accept("Building the images " + missing + " (deploy/images/build; the first build takes minutes)");
        List<String> command = new ArrayList<>(List.of(home.resolve("deploy/images/build").toString()));
        missing.forEach(image -> command.addAll(List.of("--only", image)));
        try {
            Process build = new ProcessBuilder(command).directory(home.toFile()).inheritIO().start();
            if (build.waitFor() != 0) {
                throw new ContainerException("deploy/images/build failed (exit " + build.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new ContainerException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while the images were built", e);
        }
    }

    static String image(String service, String version) {
        return IMAGE_PREFIX + "/" + service + ":" + version;
    }

    /** The operator's image renders the containers of the recorded Cluster resource; the plan is kept beside it. */
    private List<JsonNode> plan(String version) {
        try {
            List<String> args = new ArrayList<>(List.of("run", "--rm", "--interactive", "--network", "none"));
            args.addAll(limits());
            args.addAll(List.of("--entrypoint", "java", image("operator", version), "-cp", FAST_JAR_CLASSPATH,
                    PLAN_MAIN, "--network-prefix", NETWORK_PREFIX));
            String json = podman.run(Files.readString(specFile()), args);
            Files.writeString(dir.resolve("plan.json"), json);
            return pods(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> recordedPlan() {
        Path plan = dir.resolve("plan.json");
        try {
            return Files.exists(plan) ? pods(Files.readString(plan)) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> pods(String json) throws IOException {
        List<JsonNode> pods = new ArrayList<>();
        JSON.readTree(json).forEach(pods::add);
        return pods;
    }

    /** {@code podman run} of one pod: what the kubelet would give its container, in podman's words. */
    List<String> runArguments(JsonNode pod) {
        String name = pod.path("name").asText();
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name, "--hostname", name));
        args.addAll(limits());
        args.addAll(List.of(
                "--label", CLUSTER_LABEL + "=" + NAME, "--label", "io.sluice.role=" + pod.path("role").asText(),
                "--network", NETWORK, "--ip", pod.path("address").asText(),
                "--stop-timeout", pod.path("terminationGraceSeconds").asText()));
        pod.path("dnsNames").forEach(alias -> args.addAll(List.of("--network-alias", alias.asText())));
        pod.path("env").fields().forEachRemaining(e -> args.addAll(List.of("--env", e.getKey() + "=" + e.getValue()
                .asText())));
        if (!pod.path("command").isEmpty()) {
            args.addAll(List.of("--entrypoint", pod.path("command").toString()));
        }
        if (!pod.path("dataDir").isNull()) {
            Path volume = volume(name);
            try {
                Files.createDirectories(volume);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // :U gives the volume to the image's user, as the pod's fsGroup does on Kubernetes.
            args.addAll(List.of("--volume", volume + ":" + pod.path("dataDir").asText() + ":U"));
            if (!pod.path("volumeGroup").isNull()) {
                args.addAll(List.of("--group-add", pod.path("volumeGroup").asText()));
            }
        }
        JsonNode readiness = pod.path("readiness");
        JsonNode startup = pod.path("startup");
        if (!readiness.isMissingNode() && !readiness.isNull()) {
            args.addAll(List.of("--health-cmd", "[\"http-probe\",\"" + readiness.path("port").asInt() + "\",\""
                    + readiness.path("path").asText() + "\"]",
                    "--health-interval", healthInterval(readiness),
                    "--health-timeout", readiness.path("timeoutSeconds").asInt() + "s",
                    "--health-retries", readiness.path("failureThreshold").asText(),
                    // The startup probe's budget: failures before it is spent do not count.
                    "--health-start-period", (startup.isNull() || startup.isMissingNode() ? 0
                            : startup.path("periodSeconds").asInt() * startup.path("failureThreshold").asInt())
                            + "s"));
        }
        pod.path("published").fields().forEachRemaining(p -> args.addAll(List.of("--publish",
                "127.0.0.1:" + p.getKey() + ":" + p.getValue().asText())));
        args.add(pod.path("image").asText());
        return args;
    }

    /**
     * The containers' open files and processes: podman's defaults (a million open files) are above what a process
     * without CAP_SYS_RESOURCE may set, as on this machine, where runc then fails to start the container. The host's
     * own open-files limit, and 16,384 processes, are within it; both are far above what a service uses.
     */
    static List<String> limits() {
        long openFiles = 65_536;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                    openFiles = hard.equals("unlimited") ? openFiles : Math.min(openFiles, Long.parseLong(hard));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux's /proc: podman's defaults may do there
        }
        return List.of("--ulimit", "nofile=" + openFiles + ":" + openFiles, "--ulimit", "nproc=16384:16384");
    }

    /**
     * Podman runs health checks on systemd timers; without systemd there are none, and {@code sluice up} and
     * {@code sluice status} run the checks themselves.
     */
    private static String healthInterval(JsonNode probe) {
        return Files.isDirectory(Path.of("/run/systemd/system")) ? probe.path("periodSeconds").asInt() + "s"
                : "disable";
    }

    /** The container's state ({@code running}, {@code exited}, {@code created}…), or {@code absent}. */
    public String state(String name) {
        Podman.Result result = podman.call(null, "container", "inspect", "--format", "{{.State.Status}}", name);
        return result.ok() ? result.out().strip() : "absent";
    }

    /** The container's readiness probe, run now: {@code healthy} or {@code unhealthy}. */
    public String health(String name) {
        Podman.Result result = podman.call(null, "healthcheck", "run", name);
        return result.ok() ? "healthy" : "unhealthy";
    }

    private void awaitReady(List<JsonNode> pods, Consumer<String> out, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long started = System.nanoTime();
        List<String> waiting = new ArrayList<>(pods.stream().map(p -> p.path("name").asText()).toList());
        while (!waiting.isEmpty()) {
            for (String name : List.copyOf(waiting)) {
                String state = state(name);
                if (!state.equals("running")) {
                    throw new ContainerException(name + " is " + state + " instead of running; its last lines:\n"
                            + podman.call(null, "logs", "--tail", "30", name).err()
                            + podman.call(null, "logs", "--tail", "30", name).out());
                }
                if (health(name).equals("healthy")) {
                    waiting.remove(name);
                    out.accept(String.format("  %-22s ready in %.1fs", name, (System.nanoTime() - started) / 1e9));
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ContainerException("not ready after " + timeout.toSeconds() + " s: " + waiting
                        + " (podman logs NAME shows why)");
            }
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerException("interrupted while waiting for the containers", e);
            }
        }
    }
}
