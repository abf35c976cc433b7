package io.sluice.broker.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.infinispan.AdvancedCache;
import org.infinispan.commons.marshall.WrappedBytes;
import org.infinispan.context.Flag;

import io.sluice.replication.NodeSettings;

/**
 * A store node in its own JVM, so that a test can kill it for real (SIGKILL: no leave, no closing of files) or cut it
 * off from the others (in its own network namespace). The parent drives it with one command per line on its stdin,
 * each with an id, and the child answers each with its id once done: commands run concurrently, so a write that hangs
 * in a partition holds up nothing else.
 */
final class StoreNodeProcess implements AutoCloseable, StoreData.Reader, StoreData.Writer {

    private static final String READY = "ready";
    private static final long READY_TIMEOUT_SECONDS = 90;
    private static final long ANSWER_TIMEOUT_SECONDS = 60;
    private static final String ABSENT = "absent";
    private static final String ERROR = "error ";
    /** Child logs, kept after the test for a look at views, merges and failures. */
    private static final Path LOGS = Path.of("target", "store-node-logs");

    /** What in a child's log tells why a cluster did not settle: a node out of heap, a transfer that hangs. */
    private static final Pattern TROUBLE = Pattern.compile("OutOfMemoryError|ISPN000972.*HANG|Failed to send");

    private final String name;
    private final Process process;
    private final Path log;
    private final Writer commands;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private StoreNodeProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "answers-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts node i of the cluster in a new JVM on the loopback address and waits until it has joined. */
    static StoreNodeProcess start(StoreCluster cluster, int i) {
        return start(List.of(), cluster.settings(i).node());
    }

    /**
     * Starts a node in a new JVM, its command line prefixed by {@code launcher} (such as {@code ip netns exec <ns>}),
     * and waits until it has joined.
     */
    static StoreNodeProcess start(List<String> launcher, NodeSettings s) {
        List<String> command = new ArrayList<>(launcher);
        String logName = s.clusterName() + "-" + s.nodeName();
        Path log = LOGS.resolve(logName + ".log");
        // The collector and the heap's end as a broker's (MemberProcess). G1, the JVM's own pick here, gives each
        // chunk of 1 MiB two humongous regions (219 of the sender's 256 at the peak), and a transfer ran out of heap.
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1",
                "-Xlog:gc:file=" + LOGS.resolve(logName + "-%p.gc.log"),
                "-cp", System.getProperty("java.class.path"),
                StoreNodeProcess.class.getName(), s.nodeName(), s.dataDir().toString(), s.bindAddress(),
                Integer.toString(s.bindPort()), s.initialHosts(), s.clusterName()));
        StoreNodeProcess node;
        try {
            Files.createDirectories(LOGS);
            node = new StoreNodeProcess(s.nodeName(),
                    new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start(),
                    log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            node.ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
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

    private void readAnswers() {
        try (BufferedReader answers = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = answers.readLine()) != null) {
                if (line.equals(READY)) {
                    ready.complete(null);
                    continue;
                }
                int space = line.indexOf(' ');
                CompletableFuture<String> answer = space < 0 ? null
                        : pending.remove(Long.parseLong(line.substring(0, space)));
                if (answer != null) {
                    answer.complete(line.substring(space + 1));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process ended or wrote something else: every pending command fails below.
        }
        IllegalStateException ended = new IllegalStateException("store node process " + name + " ended");
        ready.completeExceptionally(ended);
        pending.values().forEach(answer -> answer.completeExceptionally(ended));
    }

    /** Sends one command; completes with its answer, failed if the answer is an error. */
    private CompletableFuture<String> ask(String command) {
        long id = ids.incrementAndGet();
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (commands) {
                commands.write(id + " " + command + "\n");
                commands.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            answer.completeExceptionally(e);
        }
        if (!process.isAlive()) {
            answer.completeExceptionally(new IllegalStateException("store node process " + name + " ended"));
        }
        return answer.thenApply(a -> {
            if (a.startsWith(ERROR)) {
                throw new CompletionException(
                        new IllegalStateException("store node process " + name + " failed " + command + ": " + a));
            }
            return a;
        });
    }

    /** Sends one command and waits for its answer. */
    private String answered(String command) {
        try {
            return ask(command).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("store node process " + name + " did not answer " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String chunk(int rf, ChunkKey key) {
        return chunk("chunk", rf, key);
    }

    private String chunk(String command, int rf, ChunkKey key) {
        String answer = answered(
                command + " " + rf + " " + key.topicId() + " " + key.partition() + " " + key.baseOffset());
        return answer.equals(ABSENT) ? null : answer;
    }

    @Override
    public List<Long> index(int rf, String topicId, int partition) {
        return index("index", rf, topicId, partition);
    }

    private List<Long> index(String command, int rf, String topicId, int partition) {
        String answer = answered(command + " " + rf + " " + topicId + " " + partition);
        return answer.isEmpty() ? List.of() : Stream.of(answer.split(",")).map(Long::valueOf).toList();
    }

    /**
     * Reads this node's own copy of every partition it owns (no other node asked), and through the cluster those it
     * does not own: checking every node this way checks every owner.
     */
    StoreData.Reader ownCopies() {
        return new StoreData.Reader() {
            @Override
            public String chunk(int rf, ChunkKey key) {
                return StoreNodeProcess.this.chunk("own-chunk", rf, key);
            }

            @Override
            public List<Long> index(int rf, String topicId, int partition) {
                return StoreNodeProcess.this.index("own-index", rf, topicId, partition);
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    /** Texts only, without spaces: they travel on the command line. Completes once the child's write does. */
    @Override
    public CompletableFuture<?> write(int rf, ChunkKey key, String chunk, String entry) {
        return ask("write " + rf + " " + key.topicId() + " " + key.partition() + " " + key.baseOffset() + " " + chunk
                + " " + entry);
    }

    boolean rebalancing() {
        return Boolean.parseBoolean(answered("rebalancing"));
    }

    boolean available() {
        return Boolean.parseBoolean(answered("available"));
    }

    /** Whether the others hold that a cache went on without this node since it last caught up. */
    boolean markedAway() {
        return Boolean.parseBoolean(answered("marked-away"));
    }

    List<String> members() {
        return List.of(answered("members").split(","));
    }

    /**
     * The last lines of this node's log (all its lives) that tell why a cluster would not settle, for a failure's
     * message: CI shows that message, not the log.
     */
    String troubles() {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> found = lines.filter(line -> TROUBLE.matcher(line).find()).toList();
            return name + ": " + (found.isEmpty() ? "nothing"
                    : String.join(" / ", found.subList(Math.max(0, found.size() - 3), found.size())));
        } catch (IOException | UncheckedIOException e) {
            return name + ": log unreadable (" + e + ")";
        }
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
                synchronized (commands) {
                    commands.write("0 quit\n");
                    commands.flush();
                }
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

    /** The child: args are node name, data dir, bind address, port, initial hosts, cluster name. */
    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        // Only answers go to stdout.
        System.setOut(System.err);
        PartitionStore store = PartitionStore.start(new StoreSettings(new NodeSettings(args[0], args[5],
                Path.of(args[1]), args[2], Integer.parseInt(args[3]), args[4], Optional.empty()), StoreCluster.MEMORY));
        out.println(READY);
        out.flush();
        ExecutorService workers = Executors.newCachedThreadPool();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ");
            if (words[1].equals("quit")) {
                break;
            }
            String[] command = List.of(words).subList(1, words.length).toArray(String[]::new);
            CompletableFuture.supplyAsync(() -> answer(store, command), workers).thenCompose(answer -> answer)
                    .whenComplete((answer, error) -> {
                        String text = error == null ? answer
                                : ERROR + (error.getCause() == null ? error
                                        : error.getCause());
                        synchronized (out) {
                            out.println(words[0] + " " + text);
                            out.flush();
                        }
                    });
        }
        store.close();
        System.exit(0);
    }

    private static CompletableFuture<String> answer(PartitionStore store, String[] command) {
        return switch (command[0]) {
            case "write" -> {
                ChunkKey key = new ChunkKey(command[2], Integer.parseInt(command[3]), Long.parseLong(command[4]));
                yield store.write(Integer.parseInt(command[1]), new StoredChunk(key, 0),
                        command[5].getBytes(StandardCharsets.UTF_8),
                        command[6].getBytes(StandardCharsets.UTF_8)).thenApply(String::valueOf);
            }
            default -> CompletableFuture.completedFuture(answerNow(store, command));
        };
    }

    private static String answerNow(PartitionStore store, String[] command) {
        return switch (command[0]) {
            case "chunk", "own-chunk" -> {
                int rf = Integer.parseInt(command[1]);
                ChunkKey key = new ChunkKey(command[2], Integer.parseInt(command[3]), Long.parseLong(command[4]));
                byte[] chunk = command[0].equals("chunk") || !store.isOwner(rf, key.topicId(), key.partition())
                        ? store.readChunk(rf, new StoredChunk(key, 0)).join()
                        : own(store, PartitionStore.chunksCache(rf)).get(key.toBytes(0));
                yield chunk == null ? ABSENT : new String(chunk, StandardCharsets.UTF_8);
            }
            case "index", "own-index" -> {
                int rf = Integer.parseInt(command[1]);
                String topicId = command[2];
                int partition = Integer.parseInt(command[3]);
                Stream<Long> offsets = command[0].equals("index") || !store.isOwner(rf, topicId, partition)
                        ? store.readIndex(rf, topicId, partition).join().keySet().stream()
                        : ownIndex(store, rf, ChunkKey.group(topicId, partition));
                yield offsets.map(String::valueOf).collect(Collectors.joining(","));
            }
            case "members" -> String.join(",", store.members());
            case "rebalancing" -> Boolean.toString(store.rebalancing());
            case "available" -> Boolean.toString(store.available());
            case "marked-away" -> Boolean.toString(store.markedAway());
            default -> throw new IllegalArgumentException("unknown command " + List.of(command));
        };
    }

    /** This node's copy alone: memory and its file store, no other node asked. */
    private static AdvancedCache<byte[], byte[]> own(PartitionStore store, String cache) {
        return store.manager().<byte[], byte[]> getCache(cache).getAdvancedCache().withFlags(Flag.CACHE_MODE_LOCAL);
    }

    private static Stream<Long> ownIndex(PartitionStore store, int rf, String group) {
        return own(store, PartitionStore.indexCache(rf)).keySet().stream()
                .map(key -> (Object) key)
                .map(key -> key instanceof WrappedBytes w ? w.getBytes() : (byte[]) key)
                .filter(key -> group.equals(ChunkKey.groupOf(key)))
                .map(key -> ChunkKey.fromBytes(key).baseOffset())
                .sorted()
                .toList().stream();
    }
}
