package io.sluice.broker.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sluice.replication.NodeSettings;

/**
 * A store node in its own JVM, so that a test can kill it for real (SIGKILL: no leave, no closing of files). The
 * parent drives it with one command per line on its stdin and reads one answer line per command.
 */
final class StoreNodeProcess implements AutoCloseable, StoreData.Reader, StoreData.Writer {

    private static final String READY = "ready";
    private static final long READY_TIMEOUT_SECONDS = 90;
    private static final String ABSENT = "absent";
    private static final String ERROR = "error ";

    private final String name;
    private final Process process;
    private final Writer commands;
    private final BufferedReader answers;

    private StoreNodeProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        this.answers = process.inputReader(StandardCharsets.UTF_8);
    }

    /** Starts node i of the cluster in a new JVM and waits until it has joined. */
    static StoreNodeProcess start(StoreCluster cluster, int i) {
        NodeSettings s = cluster.settings(i).node();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StoreNodeProcess.class.getName(), s.nodeName(), s.dataDir().toString(), Integer.toString(s.bindPort()),
                s.initialHosts(), s.clusterName())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        StoreNodeProcess node;
        try {
            node = new StoreNodeProcess(s.nodeName(), builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            CompletableFuture.runAsync(node::awaitReady, r -> new Thread(r, "await-" + s.nodeName()).start())
                    .get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return node;
        } catch (ExecutionException | TimeoutException e) {
            node.kill();
            throw new IllegalStateException("store node process " + s.nodeName() + " did not start", e);
        } catch (InterruptedException e) {
            node.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        try {
            String line;
            while ((line = answers.readLine()) != null && !line.equals(READY)) {
                // not an answer yet
            }
            if (line == null) {
                throw new IllegalStateException("exited before it was ready");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command and returns its answer. */
    private String ask(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("store node process ended while answering " + command);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String chunk(int rf, ChunkKey key) {
        String answer = answered("chunk " + rf + " " + key.topicId() + " " + key.partition() + " " + key.baseOffset());
        return answer.equals(ABSENT) ? null : answer;
    }

    @Override
    public List<Long> index(int rf, String topicId, int partition) {
        String answer = answered("index " + rf + " " + topicId + " " + partition);
        return answer.isEmpty() ? List.of() : Stream.of(answer.split(",")).map(Long::valueOf).toList();
    }

    @Override
    public String name() {
        return name;
    }

    /** Texts only, without spaces: they travel on the command line. */
    @Override
    public CompletableFuture<?> write(int rf, ChunkKey key, String chunk, String entry) {
        answered("write " + rf + " " + key.topicId() + " " + key.partition() + " " + key.baseOffset() + " " + chunk
                + " " + entry);
        return CompletableFuture.completedFuture(null);
    }

    boolean rebalancing() {
        return Boolean.parseBoolean(answered("rebalancing"));
    }

    List<String> members() {
        return List.of(answered("members").split(","));
    }

    private String answered(String command) {
        String answer = ask(command);
        if (answer.startsWith(ERROR)) {
            throw new IllegalStateException("store node process failed " + command + ": " + answer);
        }
        return answer;
    }

    long pid() {
        return process.pid();
    }

    /** Kills the JVM at once, as a crash or an OOM-kill would. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                commands.write("quit\n");
                commands.flush();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (IOException e) {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    /** The child: args are node name, data dir, port, initial hosts, cluster name. */
    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        // Only answers go to stdout.
        System.setOut(System.err);
        PartitionStore store = PartitionStore.start(new StoreSettings(new NodeSettings(args[0], args[4],
                Path.of(args[1]), "127.0.0.1", Integer.parseInt(args[2]), args[3], Optional.empty()), StoreCluster.MEMORY));
        out.println(READY);
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            out.println(answer(store, line.split(" ")));
            out.flush();
        }
        store.close();
        System.exit(0);
    }

    private static String answer(PartitionStore store, String[] command) {
        try {
            return switch (command[0]) {
                case "chunk" -> {
                    ChunkKey key = new ChunkKey(command[2], Integer.parseInt(command[3]), Long.parseLong(command[4]));
                    byte[] chunk = store.readChunk(Integer.parseInt(command[1]), key, 0).join();
                    yield chunk == null ? ABSENT : new String(chunk, StandardCharsets.UTF_8);
                }
                case "index" -> store.readIndex(Integer.parseInt(command[1]), command[2], Integer.parseInt(command[3]))
                        .join().keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
                case "write" -> {
                    ChunkKey key = new ChunkKey(command[2], Integer.parseInt(command[3]), Long.parseLong(command[4]));
                    yield Boolean.toString(store.write(Integer.parseInt(command[1]), key, 0,
                            command[5].getBytes(StandardCharsets.UTF_8), command[6].getBytes(StandardCharsets.UTF_8))
                            .join());
                }
                case "members" -> String.join(",", store.members());
                case "rebalancing" -> Boolean.toString(store.rebalancing());
                default -> "unknown command " + List.of(command);
            };
        } catch (RuntimeException e) {
            return ERROR + e;
        }
    }
}
