package io.sluice.cli.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import io.sluice.cli.containers.ContainerCluster;
import io.sluice.cli.local.AdminProperties;
import io.sluice.cli.local.ClusterLayout;
import io.sluice.cli.local.LocalCluster;
import io.sluice.cli.local.Member;
import io.sluice.cli.local.MemberProcess;
import io.sluice.cli.local.Role;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.contract.ServiceContract;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sluice up}: starts a local cluster on loopback. */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false, description = {
        "Start a local cluster on loopback: 1 (or 3) coordinators, N brokers and 1 gateway, each its own "
                + "JVM, and return once it is ready (members keep running; stop them with sluice down). On a running "
                + "cluster, start again the members that stopped or crashed.",
        "Internal ports: coordinator Kafka 9093, HTTP 8090, JGroups 7950 (with --coordinators 3, "
                + "coordinator-k for k = 2, 3: Kafka 9190+k, HTTP 8180+k, JGroups 7949+k); broker n Kafka "
                + "9093+n, HTTP 8090+n, JGroups 7799+n (failure detection +100). "
                + "Logs: DIR/<member>/member.log." })
public final class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions options;

    @Option(names = "--brokers", paramLabel = "N", description = "Number of brokers (default: ${DEFAULT-VALUE}).")
    int brokers = 3;

    @Option(names = "--coordinators", paramLabel = "N", description = "Number of coordinator replicas: 1, or 3 "
            + "for failover, where one is active and takes over if the active one dies (default: ${DEFAULT-VALUE}).")
    int coordinators = 1;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Gateway Kafka port, the clients' bootstrap (default: ${DEFAULT-VALUE}).")
    int kafkaPort = GatewayContract.KAFKA_PORT;

    @Option(names = "--http-port", paramLabel = "PORT", description = "Gateway HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort = ServiceContract.HTTP_PORT_DEFAULT;

    @Option(names = "--port-base", paramLabel = "N", description = "Shift every internal port by N, to run a second "
            + "cluster beside the first (default: ${DEFAULT-VALUE}).")
    int portShift = 0;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long the cluster may take to get ready (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 300;

    @Option(names = "--foreground", description = "Stay attached; Ctrl-C stops the cluster.")
    boolean foreground;

    @Option(names = "--containers", description = "Run the cluster as podman containers, each as the operator runs "
            + "its pod (images built by deploy/images/build if missing; the gateway published on 127.0.0.1).")
    boolean containers;

    @Option(names = "--secure", description = "Security on: the gateway's Kafka port is SASL_SSL (SCRAM-SHA-512) with "
            + "a certificate from a CA made in DIR/tls, ACLs are checked, and a super user admin gets a generated "
            + "password, written with the CA to DIR/admin.properties for Kafka's tools (--command-config) and sluice "
            + "commands. The data directory remembers it.")
    boolean secure;

    @Override
    public Integer call() throws InterruptedException {
        if (containers) {
            return containerUp();
        }
        if (ContainerCluster.recorded(ClusterOptions.home(), options.dataDir()).isPresent()) {
            throw new ParameterException(spec.commandLine(), options.dataDir() + " holds a cluster of containers: "
                    + "sluice up --containers" + options.dataFlag() + " starts it, or choose another --data");
        }
        Optional<LocalCluster> recorded = LocalCluster.recorded(ClusterOptions.home(), options.dataDir())
                .filter(LocalCluster::running);
        if (recorded.isPresent()) {
            return alreadyRunning(recorded.get());
        }
        if (coordinators != 1 && coordinators != 3) {
            throw new ParameterException(spec.commandLine(), "--coordinators must be 1 or 3, not " + coordinators);
        }
        ClusterLayout standard = ClusterLayout.standard(options.dataDir(), brokers, coordinators, kafkaPort, httpPort,
                portShift);
        Optional<String> remembered = AdminProperties.password(options.dataDir());
        ClusterLayout layout = secure || remembered.isPresent()
                ? standard.secured(remembered.orElseGet(AdminProperties::newPassword))
                : standard;
        LocalCluster cluster = new LocalCluster(ClusterOptions.home(), layout);
        AtomicBoolean stopping = new AtomicBoolean();
        // Ctrl-C (or a SIGTERM) while starting stops what was started; with --foreground, at any time.
        Thread stopper = new Thread(() -> {
            stopping.set(true);
            System.out.println("Stopping Sluice");
            cluster.shutDown(System.out::println);
            System.out.println("Stopped. The data stays in " + layout.dataDir());
        }, "sluice-stop");
        Runtime.getRuntime().addShutdownHook(stopper);

        System.out.printf("Starting Sluice: %d coordinator%s, %d broker%s, 1 gateway; data in %s%n", coordinators,
                coordinators == 1 ? "" : "s", brokers, brokers == 1 ? "" : "s", layout.dataDir());
        long started = System.nanoTime();
        try {
            cluster.start(System.out::println, Duration.ofSeconds(timeoutSeconds));
        } catch (RuntimeException e) {
            removeHook(stopper);
            throw e;
        }
        System.out.printf("Sluice is ready in %.1fs.%n  Kafka bootstrap: %s%s%n  HTTP:            %s%n%s",
                (System.nanoTime() - started) / 1e9, layout.bootstrapServers(),
                layout.security() == null ? ""
                        : " (SASL_SSL; client settings of user admin in "
                                + AdminProperties.write(layout) + ")",
                layout.httpUrl(), https(layout));
        if (!foreground) {
            removeHook(stopper);
            System.out.println("Stop it with: sluice down" + options.dataFlag());
            return 0;
        }
        System.out.println("Running in the foreground; Ctrl-C stops the cluster.");
        watch(cluster, stopping);
        removeHook(stopper);
        cluster.stop(p -> {
        });
        return 1;
    }

    /** {@code --containers}: the cluster as the operator's pods, in podman containers. */
    private int containerUp() {
        if (coordinators != 1 && coordinators != 3) {
            throw new ParameterException(spec.commandLine(), "--coordinators must be 1 or 3, not " + coordinators);
        }
        if (foreground || portShift != 0) {
            throw new ParameterException(spec.commandLine(), "--foreground and --port-base are for the local "
                    + "processes; containers keep running until sluice down");
        }
        if (LocalCluster.recorded(ClusterOptions.home(), options.dataDir()).filter(LocalCluster::running)
                .isPresent()) {
            throw new ParameterException(spec.commandLine(), "a cluster of local processes runs from "
                    + options.dataDir() + "; stop it first (sluice down" + options.dataFlag() + ")");
        }
        String version = Objects.requireNonNullElse(UpCommand.class.getPackage().getImplementationVersion(),
                System.getProperty("sluice.version", "0.1.0-SNAPSHOT"));
        ContainerCluster cluster = ContainerCluster.in(ClusterOptions.home(), options.dataDir());
        String resource = ContainerCluster.clusterResource(version, brokers, coordinators, kafkaPort, httpPort,
                Map.of("coordinator", Role.COORDINATOR.heap(), "broker", Role.BROKER.heap(), "gateway",
                        Role.GATEWAY.heap()));
        System.out.printf("Starting Sluice in containers (podman); the Cluster resource and the volumes are in %s%n",
                cluster.specFile().getParent());
        long started = System.nanoTime();
        cluster.up(resource, version, System.out::println, Duration.ofSeconds(timeoutSeconds));
        System.out.printf("Sluice is ready in %.1fs.%n  Kafka bootstrap: 127.0.0.1:%d%n  HTTP:            "
                + "http://127.0.0.1:%d%nStop it with: sluice down%s%n", (System.nanoTime() - started) / 1e9,
                kafkaPort, httpPort, options.dataFlag());
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already: the hook runs and stops the cluster
        }
    }

    /**
     * A cluster that is up gets back the members that stopped or crashed, role by role in start order, all of a role
     * together: coordinator replicas may need each other for a majority, and brokers for their stores (two of three
     * brokers back one at a time never made the first ready: its store waited for the second).
     */
    private int alreadyRunning(LocalCluster cluster) {
        List<List<Member>> steps = new ArrayList<>();
        for (Role role : List.of(Role.COORDINATOR, Role.BROKER, Role.GATEWAY)) {
            List<Member> stopped = cluster.notRunning().stream().filter(m -> m.role() == role).toList();
            if (!stopped.isEmpty()) {
                steps.add(stopped);
            }
        }
        for (List<Member> step : steps) {
            step.forEach(m -> System.out.printf("  %-12s not running: starting it again%n", m.name()));
            long started = System.nanoTime();
            cluster.start(step.stream().map(Member::name).toList(), Duration.ofSeconds(timeoutSeconds));
            step.forEach(m -> System.out.printf("  %-12s ready in %.1fs%n", m.name(),
                    (System.nanoTime() - started) / 1e9));
        }
        ClusterLayout layout = cluster.layout();
        System.out.printf("Sluice is already running from %s.%n  Kafka bootstrap: %s%s%n  HTTP:            %s%n%s",
                layout.dataDir(), layout.bootstrapServers(), security(layout), layout.httpUrl(), https(layout));
        return 0;
    }

    /** How clients log in, on a secured cluster. */
    private static String security(ClusterLayout layout) {
        return layout.security() == null ? ""
                : " (SASL_SSL; Kafka client settings of user admin in " + AdminProperties.path(layout.dataDir()) + ")";
    }

    /** Where the HTTP API takes logins, on a secured cluster (a line of its own); nothing otherwise. */
    private static String https(ClusterLayout layout) {
        return layout.security() == null ? ""
                : String.format("  HTTPS:           %s (HTTP Basic as a user; the CA in %s)%n", layout.httpsUrl(),
                        layout.tlsDir().resolve("ca.crt"));
    }

    /** Reports members that exit on their own until the shutdown hook stops the cluster or all have exited. */
    private static void watch(LocalCluster cluster, AtomicBoolean stopping) throws InterruptedException {
        Set<String> reported = new HashSet<>();
        while (true) {
            Thread.sleep(1_000);
            if (stopping.get()) {
                continue;
            }
            for (Member member : cluster.layout().members()) {
                Optional<MemberProcess> process = cluster.process(member.name());
                if (process.isEmpty() && reported.add(member.name())) {
                    System.out.printf("  %-12s exited; see %s%n", member.name(), cluster.layout().logFile(member));
                }
            }
            if (!cluster.running() && !stopping.get()) {
                System.out.println("Every member has exited.");
                return;
            }
        }
    }
}
