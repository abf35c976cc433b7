package io.sluice.cli.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The process of one member: started by this launcher, or adopted from {@code cluster.json} by a later one. */
public final class MemberProcess {

    /** How far apart two readings of one process's start time may be. */
    private static final Duration SAME_START = Duration.ofSeconds(2);

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final File NO_INPUT = new File("/dev/null");

    private final ProcessHandle handle;
    private final Process process;
    private final Instant started;

    private MemberProcess(ProcessHandle handle, Process process, Instant started) {
        this.handle = handle;
        this.process = process;
        this.started = started;
    }

    /** The Quarkus fast-jar a role runs, in a built Sluice checkout. */
    public static Path serviceJar(Path home, Role role) {
        return home.resolve(role.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /**
     * Starts the member's JVM with its configuration, its output appended to its log, its command line after
     * {@code prefix}.
     */
    static MemberProcess launch(Path home, ClusterLayout layout, Member member, List<String> prefix)
            throws IOException {
        Path jar = serviceJar(home, member.role());
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build Sluice with ./mvnw package -DskipTests");
        }
        Path log = layout.logFile(member);
        MemberLog.markStart(log, member);
        List<String> command = new ArrayList<>(prefix);
        command.addAll(command(member.role(), jar));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(layout.memberDir(member).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (NO_INPUT.exists()) {
            builder.redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        }
        builder.environment().putAll(layout.environment(member));
        Process process = builder.start();
        return new MemberProcess(process.toHandle(), process,
                process.toHandle().info().startInstant().orElseGet(Instant::now));
    }

    /**
     * The command line of a member. Where {@code setsid} exists the member gets a session of its own, so a Ctrl-C in
     * the terminal of {@code sluice up --foreground} reaches only the launcher, which then stops the members in order.
     */
    static List<String> command(Role role, Path jar) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + role.heap());
        // Small heaps on a machine of a few cores: the serial collector costs least.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /**
     * The recorded process, if it still runs and is the one recorded: a pid whose start time differs belongs to
     * another process that got the number since. Start times count from the boot time, which each JVM reads in whole
     * seconds from a value the kernel recomputes, so two readers may place the same start a second apart.
     */
    static Optional<MemberProcess> adopt(long pid, Instant started) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().startInstant()
                        .map(s -> Duration.between(s, started).abs().compareTo(SAME_START) <= 0)
                        .orElse(true))
                .map(h -> new MemberProcess(h, null, started));
    }

    public long pid() {
        return handle.pid();
    }

    public Instant started() {
        return started;
    }

    public boolean alive() {
        return handle.isAlive();
    }

    /** The exit code, known only for a process this launcher started and that has ended. */
    public Optional<Integer> exitCode() {
        return process == null || process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** SIGTERM: the member shuts down cleanly. */
    void terminate() {
        handle.destroy();
    }

    /** SIGKILL: the member dies on the spot, as in a crash. */
    void kill() {
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Whether the process ended within {@code timeout}. */
    boolean awaitExit(Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }
}
