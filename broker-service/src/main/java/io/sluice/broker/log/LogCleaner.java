package io.sluice.broker.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.sluice.protocol.record.Compaction;

/**
 * Log compaction in the background, as Kafka's log cleaner does it: one thread that, after each pause, takes the
 * compacted log this broker leads whose cleanable part is dirtiest (at least {@code min.cleanable.dirty.ratio}, or
 * dirty for longer than {@code max.compaction.lag.ms}) and cleans it, then the next, until none is due.
 * <p>
 * A pass maps each key of the dirty part (the chunks not cleaned yet) to its newest offset in a map of fixed size
 * ({@link OffsetMap}; a dirty part with more keys is cleaned up to where the map filled, the rest next time), then
 * filters the whole cleanable part from the log start ({@link Compaction}) and writes it back as cleaned chunks, each
 * in place of consecutive chunks of one leader epoch, at most {@code chunkMaxBytes} each. Offsets never change: a
 * cleaned chunk covers the offsets of those it replaced, gaps included.
 * <p>
 * Produce and fetch never wait for it: the cleaned bytes are stored under an id of their own, the swap of index entries
 * is conditional on them being as read, and the replaced bytes go only after {@code deleteDelay}, so reads already
 * under way on them finish. A leader that dies mid-pass leaves either the old chunks or the cleaned one in the store,
 * never neither ({@link LogRecovery}).
 */
public final class LogCleaner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LogCleaner.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    /** The offset map's memory, the pause between passes, and how long replaced bytes stay readable. */
    public record Settings(long offsetMapBytes, Duration backoff, Duration deleteDelay) {
    }

    private final Supplier<List<PartitionLog>> logs;
    private final Settings settings;
    private final OffsetMap map;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "log-cleaner");
        t.setDaemon(true);
        return t;
    });
    private final Counter bytesRead;
    private final Counter bytesWritten;
    private final MultiGauge dirtyRatios;

    public LogCleaner(Supplier<List<PartitionLog>> logs, Settings settings, MeterRegistry registry) {
        this.logs = logs;
        this.settings = settings;
        this.map = new OffsetMap(settings.offsetMapBytes());
        this.bytesRead = Counter.builder("sluice.log.cleaner.bytes.read")
                .description("Bytes of chunks the log cleaner read and rewrote").register(registry);
        this.bytesWritten = Counter.builder("sluice.log.cleaner.bytes.written")
                .description("Bytes of cleaned chunks the log cleaner wrote in their place").register(registry);
        this.dirtyRatios = MultiGauge.builder("sluice.log.cleaner.dirty.ratio")
                .description("Share of a compacted partition's cleanable bytes not yet cleaned").register(registry);
    }

    public void start() {
        long pause = settings.backoff().toMillis();
        thread.scheduleWithFixedDelay(this::cleanDirtiest, pause, pause, TimeUnit.MILLISECONDS);
    }

    /**
     * One round: cleans the dirtiest compacted log that is due, then the next, until none is (each at most once a
     * round, so a log that cannot make progress does not hold the others up).
     */
    void cleanDirtiest() {
        Set<PartitionLog> cleaned = new HashSet<>();
        try {
            for (Candidate next = dirtiestDue(cleaned); next != null; next = dirtiestDue(cleaned)) {
                cleaned.add(next.log());
                clean(next.log(), next.cleanable(), next.now());
            }
        } catch (StaleLog e) {
            LOG.infof("the log cleaner's round stopped: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "the log cleaner's round failed");
        }
    }

    private record Candidate(PartitionLog log, List<ChunkInfo> cleanable, long now) {
    }

    /** Measures every compacted log (the dirty ratio gauges); the dirtiest that is due and not in {@code skipped}. */
    private Candidate dirtiestDue(Set<PartitionLog> skipped) {
        long now = System.currentTimeMillis();
        Candidate dirtiest = null;
        double highest = -1;
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (PartitionLog log : logs.get()) {
            if (!log.compacts()) {
                continue;
            }
            int leftovers = await(log.removeCleaningLeftovers(now, settings.deleteDelay().toMillis()));
            if (leftovers > 0) {
                LOG.infof("%s: removed %d cleaned chunks no index entry points at, left by earlier leaders",
                        log.id(), leftovers);
            }
            List<ChunkInfo> cleanable = log.cleanableChunks(now);
            Dirt dirt = Dirt.of(cleanable);
            rows.add(MultiGauge.Row.of(Tags.of("topic", log.id().topic(), "partition",
                    Integer.toString(log.id().partition())), dirt.ratio()));
            Cleanup cleanup = log.settings().cleanup();
            boolean due = dirt.dirtyBytes() > 0 && (dirt.ratio() >= cleanup.minCleanableDirtyRatio()
                    || dirt.oldestDirtyTimestamp() < now - cleanup.maxCompactionLagMs());
            if (due && !skipped.contains(log) && dirt.ratio() > highest) {
                highest = dirt.ratio();
                dirtiest = new Candidate(log, cleanable, now);
            }
        }
        dirtyRatios.register(rows, true);
        return dirtiest;
    }

    /** The dirty bytes of a log's cleanable chunks, their share, and the oldest dirty chunk's newest record. */
    private record Dirt(long dirtyBytes, double ratio, long oldestDirtyTimestamp) {

        static Dirt of(List<ChunkInfo> cleanable) {
            long total = 0;
            long dirty = 0;
            long oldest = Long.MAX_VALUE;
            for (ChunkInfo chunk : cleanable) {
                total += chunk.sizeInBytes();
                if (!chunk.isCleaned()) {
                    dirty += chunk.sizeInBytes();
                    oldest = Math.min(oldest, chunk.maxTimestamp());
                }
            }
            return new Dirt(dirty, total == 0 ? 0 : (double) dirty / total, oldest);
        }
    }

    /** A pass over one log's cleanable chunks; stops, leaving the log as it is, when the log changes under it. */
    void clean(PartitionLog log, List<ChunkInfo> cleanable, long now) {
        long started = System.nanoTime();
        try {
            int end = mapDirtyKeys(log, cleanable);
            if (end < 0) {
                return;
            }
            Compaction pass = new Compaction(map::latest, log::inAbortedTransaction, now,
                    log.settings().cleanup().deleteRetentionMs());
            int maxRunBytes = log.settings().chunkMaxBytes();
            Run run = new Run();
            Tally tally = new Tally();
            for (ChunkInfo chunk : cleanable.subList(0, end)) {
                byte[] bytes = await(log.chunkBytes(chunk));
                if (bytes == null) {
                    return;
                }
                Compaction.Cleaned cleaned = pass.clean(bytes);
                if (!run.takes(chunk, bytes, cleaned, maxRunBytes)) {
                    tally.add(run, replace(log, run));
                    run = new Run();
                }
                run.add(chunk, bytes, cleaned);
            }
            tally.add(run, replace(log, run));
            bytesRead.increment(tally.read);
            bytesWritten.increment(tally.written);
            LOG.infof("%s: cleaned offsets %d..%d, %d bytes in, %d bytes out, %d keys in %d ms", log.id(),
                    cleanable.get(0).baseOffset(), cleanable.get(end - 1).lastOffset(), tally.read, tally.written,
                    map.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (StaleLog e) {
            LOG.infof("%s: cleaning stopped: %s", log.id(), e.getMessage());
        }
    }

    /**
     * Maps the keys of the dirty chunks to their newest offsets; returns how many of the cleanable chunks the map
     * covers (-1: nothing to clean). A dirty chunk that does not fit ends the pass before it, unless it is the first,
     * which is cleaned with the keys that fit: a key left out keeps its older records this time.
     */
    private int mapDirtyKeys(PartitionLog log, List<ChunkInfo> cleanable) {
        map.clear();
        int firstDirty = 0;
        while (firstDirty < cleanable.size() && cleanable.get(firstDirty).isCleaned()) {
            firstDirty++;
        }
        for (int i = firstDirty; i < cleanable.size(); i++) {
            byte[] bytes = await(log.chunkBytes(cleanable.get(i)));
            if (bytes == null) {
                return -1;
            }
            boolean[] fitted = { true };
            Compaction.forEachKey(bytes, log::inAbortedTransaction, (key, offset) -> fitted[0] &= map.put(key, offset));
            if (!fitted[0]) {
                if (i > firstDirty) {
                    return i;
                }
                LOG.warnf("%s: the keys of the chunk at offset %d overfill the log cleaner's offset map (%d keys); "
                        + "give it more memory", log.id(), cleanable.get(i).baseOffset(), map.size());
                return i + 1;
            }
        }
        return firstDirty == cleanable.size() ? -1 : cleanable.size();
    }

    /** The bytes a pass rewrote and wrote in their place. */
    private static final class Tally {
        private long read;
        private long written;

        /** A run {@link #replace} answered {@code written} for (-1: left as it was). */
        void add(Run run, long runWritten) {
            if (runWritten >= 0) {
                read += run.readBytes();
                written += runWritten;
            }
        }
    }

    /** Consecutive chunks of one leader epoch to be written back as one cleaned chunk. */
    private static final class Run {
        private final List<ChunkInfo> chunks = new ArrayList<>();
        private final List<Compaction.Cleaned> outputs = new ArrayList<>();
        private byte[] firstBytes;
        private int size;

        /**
         * Whether the chunk joins this run: one leader epoch, at most {@code maxBytes}, and no settled chunk on either
         * side, so a pass rewrites what changed and small chunks, not the whole clean part again.
         */
        boolean takes(ChunkInfo chunk, byte[] bytes, Compaction.Cleaned cleaned, int maxBytes) {
            if (chunks.isEmpty()) {
                return true;
            }
            return chunk.leaderEpoch() == chunks.get(0).leaderEpoch() && size + cleaned.bytes().length <= maxBytes
                    && !settled(chunk, bytes, cleaned, maxBytes)
                    && !(chunks.size() == 1 && settled(chunks.get(0), firstBytes, outputs.get(0), maxBytes));
        }

        /** A cleaned chunk of half the size limit or more that this pass leaves as it was. */
        private static boolean settled(ChunkInfo chunk, byte[] bytes, Compaction.Cleaned cleaned, int maxBytes) {
            return chunk.isCleaned() && bytes.length >= maxBytes / 2 && Arrays.equals(bytes, cleaned.bytes());
        }

        void add(ChunkInfo chunk, byte[] bytes, Compaction.Cleaned cleaned) {
            if (chunks.isEmpty()) {
                firstBytes = bytes;
            }
            chunks.add(chunk);
            outputs.add(cleaned);
            size += cleaned.bytes().length;
        }

        /** A cleaned chunk that cleaning left as it was needs no rewrite. */
        boolean unchanged() {
            return chunks.size() == 1 && chunks.get(0).isCleaned() && Arrays.equals(firstBytes, outputs.get(0).bytes());
        }

        long readBytes() {
            return chunks.stream().mapToLong(ChunkInfo::sizeInBytes).sum();
        }
    }

    /** Writes a run back as one cleaned chunk in place of its chunks; returns the bytes written, -1 for no rewrite. */
    private long replace(PartitionLog log, Run run) {
        if (run.chunks.isEmpty() || run.unchanged()) {
            return -1;
        }
        List<byte[]> entries = await(log.storedEntries(run.chunks));
        List<TransactionEvent> events = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ChunkInfo chunk = run.chunks.get(i);
            byte[] entry = entries.get(i);
            if (entry == null || !ChunkInfo.decode(chunk.baseOffset(), entry).equals(chunk)) {
                throw new StaleLog("the index entry at offset " + chunk.baseOffset() + " changed");
            }
            events.addAll(ChunkInfo.events(entry));
        }
        byte[] bytes = new byte[run.size];
        int at = 0;
        long maxTimestamp = -1;
        for (Compaction.Cleaned cleaned : run.outputs) {
            System.arraycopy(cleaned.bytes(), 0, bytes, at, cleaned.bytes().length);
            at += cleaned.bytes().length;
            maxTimestamp = Math.max(maxTimestamp, cleaned.maxTimestamp());
        }
        ChunkInfo first = run.chunks.get(0);
        ChunkInfo cleaned = new ChunkInfo(first.baseOffset(), run.chunks.get(run.chunks.size() - 1).lastOffset(),
                maxTimestamp, bytes.length, first.leaderEpoch(), ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
        await(log.writeCleaned(cleaned, bytes));
        if (!await(log.replaceChunks(run.chunks, entries, cleaned, events))) {
            log.removeReplaced(List.of(cleaned));
            throw new StaleLog("the log changed before the cleaned chunk at offset " + first.baseOffset() + " went in");
        }
        List<ChunkInfo> replaced = List.copyOf(run.chunks);
        thread.schedule(() -> log.removeReplaced(replaced), settings.deleteDelay().toMillis(),
                TimeUnit.MILLISECONDS);
        return bytes.length;
    }

    /** The log changed or failed under a pass: the pass stops, and the next round starts over. */
    private static final class StaleLog extends RuntimeException {
        StaleLog(String message) {
            super(message, null, false, false);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StaleLog("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new StaleLog("the store failed: " + e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
