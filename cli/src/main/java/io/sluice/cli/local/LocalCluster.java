package io.sluice.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.sluice.protocol.contract.BrokerContract;

/**
 * A cluster of real service processes on loopback, the one way Sluice starts a cluster on one machine (for
 * {@code sluice up} and the system tests alike). It starts the coordinators, then every broker at once (after a full
 * stop their store caches wait for each other), then the gateways, and waits until each is ready and the coordinator
 * sees every broker alive. What runs is recorded in {@code <data>/cluster.json} so that another invocation can find
 * and stop it. Members are detached: they keep running when the launcher's JVM exits.
 */
public final class LocalCluster {

    /** How long a member may take to stop on SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final int LOG_TAIL_LINES = 30;
    private static final long POLL_MILLIS = 200;

    private final Path home;
    private final ClusterLayout layout;
    private final HealthProbe probe;
    private final Function<Member, List<String>> launcher;
    private final Map<String, MemberProcess> processes = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param home a built Sluice checkout: the service jars are under {@code <module>/target/quarkus-app/}
     * @param layout the members and their ports
     */
    public LocalCluster(Path home, ClusterLayout layout) {
        this(home, layout, member -> List.of());
    }

    /**
     * A cluster whose members are started through {@code launcher}: the command line prefix of each, such as
     * {@code ip netns exec <namespace>} for a member in a network of its own. The prefix must exec the member's
     * command, so that the pid started is the member's.
     */
    public LocalCluster(Path home, ClusterLayout layout, Function<Member, List<String>> launcher) {
        this.home = home;
        this.layout = layout;
        this.launcher = launcher;
        this.probe = new HealthProbe(Optional.ofNullable(layout.security()).flatMap(ClusterLayout.Security::member));
    }

    /** The cluster recorded in {@code dataDir} by an earlier {@code start}, with those of its members still running. */
    public static Optional<LocalCluster> recorded(Path home, Path dataDir) {
        return ClusterFile.read(dataDir.toAbsolutePath().normalize()).map(recorded -> {
            LocalCluster cluster = new LocalCluster(home, recorded.layout());
            recorded.pids().forEach((name, pid) -> MemberProcess.adopt(pid, recorded.starts().get(name))
                    .ifPresent(p -> cluster.processes.put(name, p)));
            return cluster;
        });
    }

    public ClusterLayout layout() {
        return layout;
    }

    public HealthProbe probe() {
        return probe;
    }

    /**
     * Starts every member in order and waits until the cluster is ready: each member answers ready and the coordinator
     * sees every broker alive. If something fails, whatever was started is stopped again.
     *
     * @throws ClusterStartException naming the member that failed, with the tail of its log
     */
    public void start(Consumer<String> progress, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        checkBuilt();
        checkPortsFree();
        checkCoordinatorData();
        if (layout.security() != null) {
            layout.writeCertificates();
        }
        try {
            // Replicas need a majority of them in view to be ready: they start together.
            layout.coordinators().forEach(c -> launch(c, progress));
            awaitReady(layout.coordinators(), deadline, progress);
            for (Member broker : layout.brokers()) {
                launch(broker, progress);
            }
            awaitReady(layout.brokers(), deadline, progress);
            awaitBrokersAlive(deadline, progress);
            layout.gateways().forEach(g -> launch(g, progress));
            awaitReady(layout.gateways(), deadline, progress);
        } catch (RuntimeException e) {
            stop(p -> {
            });
            throw e;
        }
    }

    /** Starts one stopped or killed member again and waits until it is ready. */
    public void start(String name, Duration timeout) {
        start(List.of(name), timeout);
    }

    /**
     * Starts stopped or killed members again, all at once (coordinator replicas that are all down wait for a majority
     * of them), and waits until every one is ready.
     */
    public void start(List<String> names, Duration timeout) {
        List<Member> members = names.stream().map(layout::member).toList();
        for (Member member : members) {
            if (process(member.name()).isPresent()) {
                throw new IllegalStateException(member.name() + " is running already");
            }
        }
        members.forEach(m -> launch(m, p -> {
        }));
        awaitReady(members, System.nanoTime() + timeout.toNanos(), p -> {
        });
    }

    /**
     * Starts a stopped or killed member again without waiting for it to be ready: a coordinator replica started alone
     * is not ready until a majority of the replicas is up.
     */
    public void launch(String name) {
        Member member = layout.member(name);
        if (process(name).isPresent()) {
            throw new IllegalStateException(name + " is running already");
        }
        launch(member, p -> {
        });
    }

    private void checkBuilt() {
        List<Path> missing = layout.members().stream().map(m -> MemberProcess.serviceJar(home, m.role())).distinct()
                .filter(jar -> !Files.isRegularFile(jar)).toList();
        if (!missing.isEmpty()) {
            throw new ClusterStartException("cannot start: " + missing.stream().map(Path::toString)
                    .collect(Collectors.joining(", ")) + " missing; build Sluice with ./mvnw package -DskipTests");
        }
    }

    /**
     * The coordinators' state is in their own directories: a data directory written with another number of replicas
     * would start with none of it, so it is refused rather than silently begun anew.
     */
    private void checkCoordinatorData() {
        Set<String> expected = layout.coordinators().stream().map(Member::name).collect(Collectors.toSet());
        List<String> found;
        try (var dirs = Files.list(layout.dataDir())) {
            found = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .filter(n -> n.matches("coordinator(-\\d+)?")).sorted().toList();
        } catch (IOException e) {
            return; // no data yet
        }
        if (!found.isEmpty() && !expected.containsAll(found)) {
            throw new ClusterStartException("cannot start: " + layout.dataDir() + " holds the state of "
                    + (found.size() == 1 ? "1 coordinator" : found.size() + " coordinators") + " (" + found
                    + "), but this cluster has " + expected.size() + "; start it with --coordinators " + found.size()
                    + ", or use another --data directory");
        }
    }

    private void checkPortsFree() {
        Map<Integer, String> busy = new LinkedHashMap<>();
        layout.members().forEach(m -> m.ports().forEach((port, use) -> {
            if (!Ports.bindable(port)) {
                busy.put(port, use);
            }
        }));
        if (!busy.isEmpty()) {
            throw new ClusterStartException("cannot start: " + busy.entrySet().stream()
                    .map(e -> "port " + e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "))
                    + (busy.size() == 1 ? " is" : " are") + " in use by another process (another cluster?)");
        }
    }

    private synchronized void launch(Member member, Consumer<String> progress) {
        if (closed) {
            throw new ClusterStartException("the cluster is being shut down; " + member.name() + " not started");
        }
        try {
            MemberProcess process = MemberProcess.launch(home, layout, member, launcher.apply(member));
            processes.put(member.name(), process);
            ClusterFile.write(layout, processes);
            progress.accept(String.format("  %-12s starting (pid %d, kafka %d, http %d)", member.name(),
                    process.pid(), member.kafkaPort(), member.httpPort()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + member.name() + ": " + e.getMessage(), e);
        }
    }

    /** Waits until every member answers ready; fails at once when one of them exits. */
    private void awaitReady(List<Member> members, long deadline, Consumer<String> progress) {
        long started = System.nanoTime();
        Set<Member> pending = new LinkedHashSet<>(members);
        while (!pending.isEmpty()) {
            for (Member member : List.copyOf(pending)) {
                MemberProcess process = launched(member.name())
                        .orElseThrow(() -> new ClusterStartException(member.name() + " was stopped while starting"));
                if (!process.alive()) {
                    throw new ClusterStartException(member.name() + " exited during start-up"
                            + process.exitCode().map(c -> " with code " + c).orElse("") + "; the end of "
                            + layout.logFile(member) + ":\n" + logTail(member, LOG_TAIL_LINES));
                }
                if (probe.ready(member)) {
                    pending.remove(member);
                    progress.accept(String.format("  %-12s ready in %.1fs", member.name(),
                            (System.nanoTime() - started) / 1e9));
                }
            }
            if (!pending.isEmpty() && System.nanoTime() > deadline) {
                throw new ClusterStartException(pending.stream().map(Member::name).collect(Collectors.joining(", "))
                        + " not ready in time" + pending.stream()
                                .map(m -> "; the end of " + layout.logFile(m) + ":\n" + logTail(m, LOG_TAIL_LINES))
                                .collect(Collectors.joining()));
            }
            if (!pending.isEmpty()) {
                sleep(POLL_MILLIS);
            }
        }
    }

    /** Waits until the active coordinator counts every broker of the layout as alive (registered and heartbeating). */
    private void awaitBrokersAlive(long deadline, Consumer<String> progress) {
        SortedSet<Integer> expected = layout.brokers().stream().map(Member::id)
                .collect(Collectors.toCollection(TreeSet::new));
        List<Member> coordinators = layout.coordinators();
        Member coordinator = coordinators.get(0);
        while (true) {
            SortedSet<Integer> alive = probe.aliveBrokers(coordinators);
            if (alive.containsAll(expected)) {
                progress.accept(String.format("  %-12s %s brokers %s alive", coordinators.size() == 1
                        ? coordinator.name()
                        : "coordinators", coordinators.size() == 1 ? "sees" : "see", expected));
                return;
            }
            Optional<Member> dead = layout.brokers().stream().filter(b -> !processOf(b.name())
                    .map(MemberProcess::alive).orElse(false)).findFirst();
            if (dead.isPresent() || System.nanoTime() > deadline) {
                Member blame = dead.orElse(coordinator);
                SortedSet<Integer> missing = new TreeSet<>(expected);
                missing.removeAll(alive);
                throw new ClusterStartException("the coordinator does not see broker(s) " + missing + " alive"
                        + dead.map(b -> " (" + b.name() + " exited)").orElse(" in time") + "; the end of "
                        + layout.logFile(blame) + ":\n" + logTail(blame, LOG_TAIL_LINES));
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Whether the member answers ready on {@code /q/health/ready}. */
    public boolean ready(Member member) {
        return probe.ready(member);
    }

    /** The running process of a member. */
    public Optional<MemberProcess> process(String name) {
        layout.member(name);
        return processOf(name);
    }

    private synchronized Optional<MemberProcess> launched(String name) {
        return Optional.ofNullable(processes.get(name));
    }

    private synchronized Optional<MemberProcess> processOf(String name) {
        return Optional.ofNullable(processes.get(name)).filter(MemberProcess::alive);
    }

    /** Whether any member runs. */
    public synchronized boolean running() {
        return processes.values().stream().anyMatch(MemberProcess::alive);
    }

    /** The members that do not run (none when the whole cluster is up). */
    public List<Member> notRunning() {
        return layout.members().stream().filter(m -> processOf(m.name()).isEmpty()).toList();
    }

    /** SIGKILL of one member: it dies on the spot, as in a crash. */
    public synchronized void kill(String name) {
        layout.member(name);
        MemberProcess process = processes.remove(name);
        if (process != null) {
            process.kill();
        }
        ClusterFile.write(layout, processes);
    }

    /** Stops one member with SIGTERM (killing it after the grace period). */
    public synchronized void stop(String name) {
        stopGroup(List.of(layout.member(name)), p -> {
        });
        ClusterFile.write(layout, processes);
    }

    /**
     * Stops the cluster: gateway, brokers, then the coordinators, each with SIGTERM and killed if it does not exit
     * within the grace period. Before the brokers go their store is shut down cluster-wide, so that the next start
     * finds every entry where it was. Removes {@code cluster.json}; the data stays.
     */
    public synchronized void stop(Consumer<String> progress) {
        stopGroup(layout.gateways(), progress);
        layout.brokers().stream().filter(b -> processOf(b.name()).isPresent()).findFirst().ifPresent(b -> {
            progress.accept(String.format("  %-12s shutting down the store cluster-wide", b.name()));
            probe.post(b, BrokerContract.STORE_SHUTDOWN_PATH, Duration.ofSeconds(60));
        });
        stopGroup(layout.brokers(), progress);
        stopGroup(layout.coordinators(), progress);
        processes.clear();
        ClusterFile.delete(layout.dataDir());
    }

    /**
     * Stops the cluster for good, as {@link #stop(Consumer)} does, and a start under way in another thread launches
     * nothing more: for shutdown hooks.
     */
    public synchronized void shutDown(Consumer<String> progress) {
        closed = true;
        stop(progress);
    }

    /**
     * Kills every member at once (SIGKILL), and a start under way in another thread launches nothing more: for a
     * throwaway cluster whose data is deleted next, which a graceful stop would only delay. Removes
     * {@code cluster.json}.
     */
    public synchronized void killAll() {
        closed = true;
        processes.values().forEach(MemberProcess::kill);
        processes.clear();
        ClusterFile.delete(layout.dataDir());
    }

    private void stopGroup(List<Member> members, Consumer<String> progress) {
        List<Member> stopping = new ArrayList<>();
        for (Member member : members) {
            Optional<MemberProcess> process = processOf(member.name());
            if (process.isPresent()) {
                process.get().terminate();
                stopping.add(member);
            }
        }
        long started = System.nanoTime();
        for (Member member : stopping) {
            MemberProcess process = processes.remove(member.name());
            Duration left = STOP_GRACE.minusNanos(System.nanoTime() - started);
            if (process.awaitExit(left.isNegative() ? Duration.ZERO : left)) {
                progress.accept(String.format("  %-12s stopped (pid %d)", member.name(), process.pid()));
            } else {
                process.kill();
                progress.accept(String.format("  %-12s killed: still running %ds after SIGTERM (pid %d)",
                        member.name(), STOP_GRACE.toSeconds(), process.pid()));
            }
        }
    }

    /** The last lines a member wrote in its latest run. */
    public String logTail(Member member, int lines) {
        return MemberLog.tail(layout.logFile(member), lines);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterStartException("interrupted while waiting for the cluster");
        }
    }
}
