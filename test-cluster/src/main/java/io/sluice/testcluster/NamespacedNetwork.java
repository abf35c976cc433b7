package io.sluice.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network for test processes: one Linux network namespace per node, each joined by a veth pair to a bridge
 * on the host, with addresses that exist only inside this network; the host has one on the bridge too, so that the
 * test reaches every node. A node is cut off, from the others and from the host, by taking its host-side veth down
 * (no reset, no FIN: its peers simply stop hearing from it) and healed by bringing it up. Needs root.
 * <p>
 * Names carry this JVM's pid, so that concurrent runs never touch each other's, and leftovers of a run whose JVM has
 * died are removed at the next start; so a JVM has one such network at a time. Everything is removed on
 * {@link #close()} and, failing that, at JVM exit.
 */
public final class NamespacedNetwork implements AutoCloseable {

    private static final String NAMESPACE_PREFIX = "sluice-st-";
    private static final Pattern NAMESPACE = Pattern.compile(NAMESPACE_PREFIX + "(\\d+)-\\d+");
    /** Bridge {@code bst<pid>}, veths {@code vst<pid>h<i>} (host side) and {@code vst<pid>n<i>}: 15 characters at most. */
    /** The host's own address on the bridge; nodes are 1 to 253. */
    private static final int HOST = 254;
    private static final Pattern LINK = Pattern.compile("(?:bst|vst)(\\d+)(?:[hn]\\d+)?");

    private static final AtomicBoolean ONE_AT_A_TIME = new AtomicBoolean();

    private final long pid = ProcessHandle.current().pid();
    private final int size;
    private final String subnet;
    private boolean closed;
    private final Thread cleanupAtExit = new Thread(this::remove, "remove-test-network");

    private NamespacedNetwork(int size) {
        this.size = size;
        this.subnet = "10.213." + (10 + pid % 200) + ".";
    }

    /** Creates namespaces, veth pairs and the bridge for {@code size} nodes; fails clearly where that is not allowed. */
    public static NamespacedNetwork create(int size) {
        if (!ONE_AT_A_TIME.compareAndSet(false, true)) {
            throw new IllegalStateException("this JVM has a test network already: one at a time");
        }
        NamespacedNetwork network = new NamespacedNetwork(size);
        Runtime.getRuntime().addShutdownHook(network.cleanupAtExit);
        try {
            removeLeftovers();
            network.build();
            return network;
        } catch (RuntimeException e) {
            network.close();
            throw new IllegalStateException("cannot build the test network (network namespaces, veth pairs, a "
                    + "bridge): this test needs root and iproute2 (`ip netns`), as on CI; " + e.getMessage(), e);
        }
    }

    private void build() {
        ip("link", "add", bridge(), "type", "bridge");
        ip("addr", "add", subnet + HOST + "/24", "dev", bridge());
        ip("link", "set", bridge(), "up");
        for (int i = 0; i < size; i++) {
            ip("netns", "add", namespace(i));
            ip("link", "add", hostSide(i), "type", "veth", "peer", "name", nodeSide(i));
            ip("link", "set", nodeSide(i), "netns", namespace(i));
            ip("link", "set", hostSide(i), "master", bridge());
            ip("link", "set", hostSide(i), "up");
            ip("-n", namespace(i), "addr", "add", address(i) + "/24", "dev", nodeSide(i));
            ip("-n", namespace(i), "link", "set", nodeSide(i), "up");
            ip("-n", namespace(i), "link", "set", "lo", "up");
        }
    }

    /** The command line prefix that runs a program inside node i's namespace. */
    public List<String> launcher(int i) {
        return List.of("ip", "netns", "exec", namespace(i));
    }

    /** Node i's address, reachable only from the other nodes of this network and from the host. */
    public String address(int i) {
        return subnet + (i + 1);
    }

    /** Cuts node i off from every other node. */
    public void cut(int i) {
        ip("link", "set", hostSide(i), "down");
    }

    /** Joins node i to the others again. */
    public void heal(int i) {
        ip("link", "set", hostSide(i), "up");
    }

    private String namespace(int i) {
        return NAMESPACE_PREFIX + pid + "-" + i;
    }

    private String bridge() {
        return "bst" + pid;
    }

    private String hostSide(int i) {
        return "vst" + pid + "h" + i;
    }

    private String nodeSide(int i) {
        return "vst" + pid + "n" + i;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        remove();
        ONE_AT_A_TIME.set(false);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException e) {
            // Already exiting: the hook runs anyway.
        }
    }

    /** Deleting a namespace deletes the veth end in it, and with it the pair. */
    private void remove() {
        for (int i = 0; i < size; i++) {
            quietly("netns", "delete", namespace(i));
            quietly("link", "delete", hostSide(i));
        }
        quietly("link", "delete", bridge());
    }

    /** Removes the namespaces and links of runs (any of ours, by name) whose JVM is gone, or of an earlier run here. */
    private static void removeLeftovers() {
        for (String line : output("netns", "list")) {
            Matcher m = NAMESPACE.matcher(line.split(" ")[0]);
            if (m.matches() && stale(Long.parseLong(m.group(1)))) {
                quietly("netns", "delete", m.group());
            }
        }
        for (String line : output("-o", "link", "show")) {
            String[] fields = line.split(":\\s+");
            if (fields.length < 2) {
                continue;
            }
            Matcher m = LINK.matcher(fields[1].split("@")[0]);
            if (m.matches() && stale(Long.parseLong(m.group(1)))) {
                quietly("link", "delete", m.group());
            }
        }
    }

    private static boolean stale(long pid) {
        return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).isEmpty();
    }

    private static void quietly(String... args) {
        run(args);
    }

    private static void ip(String... args) {
        Result r = run(args);
        if (r.exit() != 0) {
            throw new IllegalStateException("`ip " + String.join(" ", args) + "` failed (" + r.exit() + "): "
                    + r.output().strip());
        }
    }

    private static List<String> output(String... args) {
        Result r = run(args);
        return r.exit() == 0 ? r.output().lines().toList() : List.of();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, output + " (timed out)");
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
