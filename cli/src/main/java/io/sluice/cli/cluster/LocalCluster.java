package io.sluice.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * A cluster of real service processes on loopback: starts them in order (coordinator, then every broker at once, then
 * the gateway), waits for each to be ready, and remembers their pids in {@code cluster.json} under the data dir so
 * that another invocation can stop them. The one way Sluice starts a local cluster, for the CLI and the tests alike.
 */
public final class LocalCluster {

    private static final String STATE_FILE = "cluster.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path home;
    private final ClusterLayout layout;
    private final Map<String, ProcessHandle> processes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What cluster.json holds: the layout and the pid of each member. */
    public record State(ClusterLayout layout, Map<String, Long> pids) {
    }

    public LocalCluster(Path home, ClusterLayout layout) {
        this.home = home;
        this.layout = layout;
    }

    /** The cluster recorded in {@code dataDir}, if one was started there. */
    public static Optional<LocalCluster> recorded(Path home, Path dataDir) {
        Path file = dataDir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            State state = JSON.readValue(file.toFile(), State.class);
            LocalCluster cluster = new LocalCluster(home, state.layout());
            state.pids().forEach((name, pid) -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .ifPresent(p -> cluster.processes.put(name, p)));
            return Optional.of(cluster);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public ClusterLayout layout() {
        return layout;
    }

    /** Starts every member and waits until each is ready; on failure stops what it started. */
    public void start(Consumer<String> progress, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            launch(layout.coordinator());
            awaitReady(layout.coordinator(), deadline, progress);
            layout.brokers().forEach(this::launch);
            for (Member broker : layout.brokers()) {
                awaitReady(broker, deadline, progress);
            }
            launch(layout.gateway());
            awaitReady(layout.gateway(), deadline, progress);
        } catch (RuntimeException e) {
            stop(p -> {
            });
            throw e;
        }
    }

    /** Starts one member (again) and waits until it is ready. */
    public void start(String name, Duration timeout) {
        Member member = layout.member(name);
        launch(member);
        awaitReady(member, System.nanoTime() + timeout.toNanos(), p -> {
        });
    }

    private void launch(Member member) {
        Path dir = layout.dataDir().resolve(member.name());
        try {
            Files.createDirectories(dir);
            Path jar = home.resolve(member.role().module()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build with ./mvnw package -DskipTests");
            }
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.addAll(List.of(javaBinary(), "-Xmx" + member.role().heap(), "-XX:+UseSerialGC",
                    "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("member.log").toFile()));
            builder.environment().putAll(environment(member, dir));
            processes.put(member.name(), builder.start().toHandle());
            save();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + member.name(), e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The member's configuration, as environment variables (each service's config is 12-factor). */
    private Map<String, String> environment(Member member, Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("SLUICE_DATA_DIR", dir.resolve("store").toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(member.httpPort()));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        String coordinator = "127.0.0.1:" + layout.coordinator().kafkaPort();
        switch (member.role()) {
            case COORDINATOR -> {
                env.put("SLUICE_COORDINATOR_HOST", "127.0.0.1");
                env.put("SLUICE_COORDINATOR_PORT", Integer.toString(member.kafkaPort()));
                env.put("SLUICE_COORDINATOR_DEFAULT_REPLICATION_FACTOR", Integer.toString(Math.min(3,
                        layout.brokers().size())));
                env.put("SLUICE_COORDINATOR_JGROUPS_BIND_PORT", Integer.toString(member.jgroupsPort()));
                env.put("SLUICE_COORDINATOR_JGROUPS_INITIAL_HOSTS", "127.0.0.1[" + member.jgroupsPort() + "]");
            }
            case BROKER -> {
                env.put("SLUICE_BROKER_ID", Integer.toString(member.id()));
                env.put("SLUICE_BROKER_HOST", "127.0.0.1");
                env.put("SLUICE_BROKER_PORT", Integer.toString(member.kafkaPort()));
                env.put("SLUICE_BROKER_JGROUPS_BIND_PORT", Integer.toString(member.jgroupsPort()));
                env.put("SLUICE_BROKER_JGROUPS_INITIAL_HOSTS", layout.brokerHosts());
                env.put("SLUICE_COORDINATOR_BOOTSTRAP", coordinator);
            }
            case GATEWAY -> {
                env.put("SLUICE_GATEWAY_HOST", "127.0.0.1");
                env.put("SLUICE_GATEWAY_PORT", Integer.toString(member.kafkaPort()));
                env.put("SLUICE_COORDINATOR_BOOTSTRAP", coordinator);
            }
        }
        return env;
    }

    private void awaitReady(Member member, long deadline, Consumer<String> progress) {
        progress.accept("  " + member.name() + " starting…");
        long started = System.nanoTime();
        while (System.nanoTime() < deadline) {
            ProcessHandle process = processes.get(member.name());
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException(member.name() + " exited during start-up:\n" + logTail(member, 30));
            }
            if (ready(member)) {
                progress.accept(String.format("  %-12s ready in %.1fs (pid %d, kafka %d, http %d)", member.name(),
                        (System.nanoTime() - started) / 1e9, process.pid(), member.kafkaPort(), member.httpPort()));
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException(member.name() + " was not ready in time:\n" + logTail(member, 30));
    }

    /** Whether the member answers ready on {@code /q/health/ready}. */
    public boolean ready(Member member) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + member.httpPort() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GET on a member's HTTP port, for status pages. */
    public Optional<String> get(Member member, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + member.httpPort() + path)).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void post(Member member, String path) {
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + member.httpPort() + path))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the member is going anyway; a broker that cannot hear this stops on its own
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Optional<ProcessHandle> process(String name) {
        return Optional.ofNullable(processes.get(name)).filter(ProcessHandle::isAlive);
    }

    public boolean running() {
        return processes.values().stream().anyMatch(ProcessHandle::isAlive);
    }

    /** SIGKILL: the member dies on the spot, as in a crash. */
    public void kill(String name) {
        ProcessHandle process = processes.remove(name);
        if (process != null) {
            process.destroyForcibly();
            process.onExit().join();
        }
        save();
    }

    /**
     * Stops gateway, brokers, then coordinator with SIGTERM, waiting for each group to exit. Before the brokers go, the
     * store is shut down cluster-wide so that the next start finds every entry where it was.
     */
    public void stop(Consumer<String> progress) {
        stopGroup(List.of(layout.gateway()), progress);
        layout.brokers().stream().filter(b -> process(b.name()).isPresent()).findFirst()
                .ifPresent(b -> post(b, "/store/shutdown"));
        stopGroup(layout.brokers(), progress);
        stopGroup(List.of(layout.coordinator()), progress);
        try {
            Files.deleteIfExists(layout.dataDir().resolve(STATE_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops one member gracefully. */
    public void stop(String name) {
        stopGroup(List.of(layout.member(name)), p -> {
        });
    }

    private void stopGroup(List<Member> members, Consumer<String> progress) {
        List<ProcessHandle> stopping = new ArrayList<>();
        for (Member member : members) {
            ProcessHandle process = processes.remove(member.name());
            if (process != null && process.isAlive()) {
                progress.accept("  stopping " + member.name() + " (pid " + process.pid() + ")");
                process.destroy();
                stopping.add(process);
            }
        }
        for (ProcessHandle process : stopping) {
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
        if (!processes.isEmpty()) {
            save();
        }
    }

    /** The last lines of a member's log, to explain a failure. */
    public String logTail(Member member, int lines) {
        Path log = layout.dataDir().resolve(member.name()).resolve("member.log");
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private void save() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach((name, p) -> pids.put(name, p.pid()));
        try {
            Files.createDirectories(layout.dataDir());
            JSON.writeValue(layout.dataDir().resolve(STATE_FILE).toFile(), new State(layout, pids));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + STATE_FILE, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
