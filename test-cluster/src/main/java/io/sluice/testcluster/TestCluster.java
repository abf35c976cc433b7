package io.sluice.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sluice.cli.local.ClusterLayout;
import io.sluice.cli.local.LocalCluster;
import io.sluice.cli.local.Member;
import io.sluice.protocol.security.CaBundle;
import io.sluice.protocol.security.CertificateAuthority;
import io.sluice.protocol.security.MemberCredential;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A real Sluice cluster for tests, started as {@code sluice up} starts one ({@link LocalCluster}): coordinators,
 * brokers and gateway as separate JVMs on free loopback ports, data in a temporary directory deleted on
 * {@link #close()}. Tests reach it through the gateway ({@link #bootstrapServers()}, {@link #clients()}) and, when they
 * own it, kill, stop and start members by name ({@code coordinator}, {@code broker-1}…, {@code gateway}). A shared
 * cluster refuses those calls, so that a class that forgot to declare itself disruptive fails instead of its
 * neighbours. A shutdown hook kills the members if the test JVM exits before {@link #close()}.
 */
public final class TestCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final AtomicInteger STARTED = new AtomicInteger();
    /** The bootstrap super user's password; every test cluster has the gateway's SASL_SSL listener too. */
    public static final String ADMIN_PASSWORD = "admin-secret";

    private final String name;
    private final ClusterSpec spec;
    private final Path dataDir;
    private final LocalCluster cluster;
    /** The members' network, when each has a namespace of its own; null on loopback. */
    private final NamespacedNetwork network;
    /** The members cut off from the network now: the test cannot reach them either. */
    private final Set<String> cutOff = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook;
    private volatile boolean shared;
    /** Whether any member was stopped, killed or restarted since the cluster started. */
    private volatile boolean disrupted;
    private boolean closed;

    TestCluster(String name, ClusterSpec spec, Path dataDir, LocalCluster cluster) {
        this(name, spec, dataDir, cluster, null);
    }

    private TestCluster(String name, ClusterSpec spec, Path dataDir, LocalCluster cluster, NamespacedNetwork network) {
        this.name = name;
        this.spec = spec;
        this.dataDir = dataDir;
        this.cluster = cluster;
        this.network = network;
        this.shutdownHook = new Thread(cluster::killAll, "sluice-test-cluster-" + name);
    }

    /** Starts a cluster for one owner (a test class, a Quarkus test), which may disrupt it. */
    public static TestCluster startOwned(ClusterSpec spec, String owner) {
        return start(spec, owner);
    }

    /** Starts a cluster that the {@link ClusterPool} hands from class to class. */
    static TestCluster start(ClusterSpec spec) {
        return start(spec, "cluster-" + spec.brokers() + "b" + spec.coordinators() + "c" + spec.gateways() + "g-"
                + STARTED.incrementAndGet());
    }

    private static TestCluster start(ClusterSpec spec, String name) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("sluice-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClusterLayout layout = ClusterLayout.onFreePorts(dataDir, spec.brokers(), spec.coordinators(), spec.gateways())
                .securedBesidePlaintext(ADMIN_PASSWORD);
        TestCluster testCluster;
        if (spec.networkNamespaces()) {
            List<String> names = layout.members().stream().map(Member::name).toList();
            NamespacedNetwork network = NamespacedNetwork.create(names.size());
            testCluster = new TestCluster(name, spec, dataDir,
                    new LocalCluster(home(), layout.at(m -> network.address(names.indexOf(m.name()))),
                            m -> network.launcher(names.indexOf(m.name()))),
                    network);
        } else {
            testCluster = new TestCluster(name, spec, dataDir, new LocalCluster(home(), layout));
        }
        LocalCluster cluster = testCluster.cluster;
        Runtime.getRuntime().addShutdownHook(testCluster.shutdownHook);
        try {
            cluster.start(testCluster::progress, START_TIMEOUT);
        } catch (RuntimeException | Error e) {
            testCluster.reportFailure(name, "start of the cluster (" + spec + ") failed");
            testCluster.close();
            throw e;
        }
        return testCluster;
    }

    /** What the cluster is made of. */
    public ClusterSpec spec() {
        return spec;
    }

    /** From now on, every class that leaves members running uses this cluster, which refuses disruption. */
    void share() {
        shared = true;
    }

    /**
     * Makes the cluster whole again after a class that disrupted it: starts every member that is not running (all at
     * once, as coordinator replicas need a majority), then waits until every member answers ready, the active
     * coordinator sees every broker alive and the store moves no data. False if it does not get there in time.
     */
    boolean heal(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (network != null) {
                layout().members().forEach(m -> reconnect(m.name()));
            }
            List<String> down = layout().members().stream().map(Member::name)
                    .filter(member -> cluster.process(member).isEmpty()).toList();
            if (!down.isEmpty()) {
                progress("starting again " + down);
                cluster.start(down, timeout);
            }
            Set<Integer> brokers = layout().brokers().stream().map(Member::id).collect(Collectors.toSet());
            while (!(layout().members().stream().allMatch(member -> cluster.ready(member))
                    && aliveBrokers().equals(brokers)
                    && layout().brokers().stream().allMatch(broker -> cluster.probe().storeBalanced(broker)))) {
                if (System.nanoTime() > deadline) {
                    progress("not whole again after " + timeout.toSeconds() + " s");
                    return false;
                }
                Thread.sleep(200);
            }
            return true;
        } catch (RuntimeException e) {
            progress("cannot be made whole again: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The Kafka bootstrap address: the gateway, the only address clients need. */
    public String bootstrapServers() {
        return layout().bootstrapServers();
    }

    /** Clients of this cluster with the bootstrap filled in. */
    /**
     * The gateway's SASL_SSL listener, with a certificate from the cluster's CA ({@link #caCertificate()}), where
     * users log in with SCRAM or PLAIN; {@code admin} with {@link #ADMIN_PASSWORD} exists from the start.
     */
    public String secureBootstrapServers() {
        return layout().secureBootstrapServers();
    }

    /**
     * The gateway's mutual TLS listener: clients present a certificate from the cluster's CA
     * ({@link #certificateAuthority()}), whose subject is their principal ({@code User:CN=name}).
     */
    public String mtlsBootstrapServers() {
        return layout().mtlsBootstrapServers();
    }

    /** The cluster's CA, to issue client certificates with. */
    /** The secret that makes a process a member: brokers and coordinators serve nobody else. */
    public String memberSecret() {
        return layout().security().memberSecret();
    }

    /** The member credential, for calls to brokers' and coordinators' HTTP endpoints. */
    public MemberCredential memberCredential() {
        return new MemberCredential(memberSecret());
    }

    public CertificateAuthority certificateAuthority() {
        return CaBundle.load(layout().tlsDir()).authority();
    }

    /** The CA certificate, PEM, that signed the gateway's certificate. */
    public Path caCertificate() {
        return layout().tlsDir().resolve("ca.crt");
    }

    public KafkaClients clients() {
        return new KafkaClients(bootstrapServers());
    }

    /** The gateway's HTTP base address. */
    public String httpUrl() {
        return layout().httpUrl();
    }

    /** The members and their ports. */
    public ClusterLayout layout() {
        return cluster.layout();
    }

    public Member member(String name) {
        return layout().member(name);
    }

    /** The cluster's data directory ({@code <dataDir>/<member>} per member); files a test puts here go with it. */
    public Path dataDir() {
        return dataDir;
    }

    /** Whether the member runs and answers ready on {@code /q/health/ready}. */
    public boolean ready(String name) {
        return cluster.process(name).isPresent() && cluster.ready(member(name));
    }

    /** The active coordinator's {@code /cluster}: brokers with liveness, topics with leaders, epochs, replicas and ISR. */
    public Optional<JsonNode> clusterView() {
        return cluster.probe().clusterView(reachableCoordinators());
    }

    /** The ids of the brokers the active coordinator counts as alive. */
    public SortedSet<Integer> aliveBrokers() {
        return cluster.probe().aliveBrokers(reachableCoordinators());
    }

    /**
     * The coordinator replicas that report themselves active: one, or none during a takeover. A replica cut off cannot
     * be asked, and is not counted.
     */
    public List<String> activeCoordinators() {
        return reachableCoordinators().stream()
                .filter(c -> cluster.process(c.name()).isPresent()
                        && cluster.probe().coordinatorRole(c).filter("active"::equals).isPresent())
                .map(Member::name).toList();
    }

    /**
     * Leader and leader epoch ({@code leader@epoch}) of every partition ({@code topic-partition}), as the active
     * coordinator has them.
     */
    public Map<String, String> leaders() {
        Map<String, String> leaders = new TreeMap<>();
        for (JsonNode topic : clusterView().orElseThrow().path("topics")) {
            for (JsonNode p : topic.path("partitions")) {
                leaders.put(topic.path("name").asText() + "-" + p.path("partition").asText(),
                        p.path("leader").asText() + "@" + p.path("leaderEpoch").asText());
            }
        }
        return leaders;
    }

    /** The coordinator replicas not cut off: asking one that is would take the probe's connect timeout. */
    private List<Member> reachableCoordinators() {
        return layout().coordinators().stream().filter(c -> !cutOff.contains(c.name())).toList();
    }

    /** The coordinator replica that reports itself active, if one does. */
    public Optional<String> activeCoordinator() {
        return activeCoordinators().stream().findFirst();
    }

    /** SIGKILL of one member: it dies on the spot, as in a crash. */
    public void kill(String name) {
        disrupt("kill(\"" + name + "\")");
        cluster.kill(name);
    }

    /**
     * Pauses one member (SIGSTOP) for {@code duration} and resumes it (SIGCONT), as a long GC pause or a frozen VM
     * would: its sockets stay open and it answers nothing meanwhile.
     */
    public void pause(String name, Duration duration) throws InterruptedException {
        disrupt("pause(\"" + name + "\")");
        long pid = cluster.process(name).orElseThrow(() -> new IllegalStateException(name + " is not running")).pid();
        signal("STOP", pid);
        try {
            Thread.sleep(duration.toMillis());
        } finally {
            signal("CONT", pid);
        }
    }

    private static void signal(String signal, long pid) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + pid, e);
        }
    }

    /**
     * Cuts one member off from every other member and from clients, as a network partition does: its link is taken
     * down, so that nothing it sends arrives and nothing sent to it (no reset, no FIN: its peers just stop hearing
     * from it). Only on a cluster whose members each have a network namespace.
     */
    public void cutOff(String name) {
        disrupt("cutOff(\"" + name + "\")");
        network().cut(index(name));
        cutOff.add(name);
    }

    /** Ends a {@link #cutOff}: the member's link is up again. */
    public void reconnect(String name) {
        network().heal(index(name));
        cutOff.remove(name);
    }

    private NamespacedNetwork network() {
        if (network == null) {
            throw new IllegalStateException("cluster " + this.name + " runs on loopback: a class that cuts members off"
                    + " declares @SluiceCluster(networkNamespaces = true)");
        }
        return network;
    }

    private int index(String name) {
        return layout().members().indexOf(member(name));
    }

    /** Stops one member gracefully (SIGTERM; killed if it has not exited after 30 s). */
    public void stop(String name) {
        disrupt("stop(\"" + name + "\")");
        cluster.stop(name);
    }

    /** Starts a stopped or killed member again, on its data, and waits until it is ready. */
    public void start(String name) {
        disrupt("start(\"" + name + "\")");
        cluster.start(name, START_TIMEOUT);
    }

    /** Starts a stopped or killed member again, on its data, without waiting until it is ready. */
    public void launch(String name) {
        disrupt("launch(\"" + name + "\")");
        cluster.launch(name);
    }

    /** Stops the whole cluster as {@code sluice down} does, then starts it again on the same data and ports. */
    public void restart() {
        disrupt("restart()");
        cluster.stop(this::progress);
        cluster.start(this::progress, START_TIMEOUT);
    }

    /** The last lines a member wrote since it was last started. */
    public String logTail(String name, int lines) {
        return cluster.logTail(member(name), lines);
    }

    /** Prints the tail of every member's log and copies the whole logs to {@code target/cluster-logs/<testClass>/}. */
    public void reportFailure(String testClass, String why) {
        new ClusterLogs(layout(), ClusterLogs.defaultRoot()).report(testClass, why, System.out);
    }

    /**
     * Kills every member and deletes the data: nothing is left to keep, so a graceful stop would only cost time. Closing
     * again does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cluster.killAll();
            if (network != null) {
                network.close();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook kills the members anyway
            }
            delete(dataDir);
        }
        progress("every member killed, data deleted");
    }

    @Override
    public String toString() {
        return name + " (" + bootstrapServers() + ")";
    }

    /** Whether a member was ever stopped, killed or restarted: the cluster is not as a clean start left it. */
    boolean disrupted() {
        return disrupted;
    }

    /** Marks the cluster disrupted, refusing the call on a shared cluster. */
    private void disrupt(String call) {
        disrupted = true;
        if (shared) {
            throw new IllegalStateException(call + " refused: cluster " + name + " is shared by every test class that"
                    + " leaves its members running. A class that kills, stops, starts or restarts members declares"
                    + " @SluiceCluster(disruptive = true) and gets a cluster to itself while it runs.");
        }
    }

    private void progress(String line) {
        System.out.println("[" + name + "] " + line);
    }

    /** The Sluice checkout whose service jars run (set by the build; the parent directory otherwise). */
    private static Path home() {
        return Path.of(System.getProperty("sluice.home", "..")).toAbsolutePath().normalize();
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = files.sorted(Comparator.reverseOrder()).toList();
            for (Path file : all) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
