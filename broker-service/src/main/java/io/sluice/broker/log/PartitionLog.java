package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.jboss.logging.Logger;

import io.sluice.broker.store.PartitionStore;
import io.sluice.protocol.record.BatchHeaders;
import io.sluice.protocol.record.BatchRecords;
import io.sluice.protocol.record.BatchValidator;

/**
 * The log of one partition this broker leads, for one leader epoch. Appends assign offsets and go into an open chunk;
 * the chunk is written to the replicated store as soon as the previous write is acknowledged (group commit, one write
 * in flight), and only then do the high watermark, the last stable offset and the produce answers move. Reads serve
 * committed chunks only, and read_committed ones only below the last stable offset. {@link LogRecovery} rebuilds the
 * log when it opens, {@link ChunkReader} serves its reads.
 */
public final class PartitionLog {

    private static final Logger LOG = Logger.getLogger(PartitionLog.class);

    private final PartitionId id;
    private final int leaderEpoch;
    private final StoredChunks stored;
    private final LogHost host;
    private final ChunkIndex index = new ChunkIndex();
    private final RecentChunks recent;
    private final ProducerStateTable producers = new ProducerStateTable();
    private final TransactionIndex transactions = new TransactionIndex();
    private final ChunkReader reader;
    private volatile LogSettings settings;
    private volatile long highWatermark;
    /** Written after the high watermark; readers take the smaller of the two. */
    private volatile long lastStableOffset;
    private volatile long logStartOffset;
    private volatile boolean closed;

    // guarded by this
    private long nextOffset;
    private OpenChunk open = new OpenChunk();
    private boolean writing;
    private List<Runnable> commitListeners = new ArrayList<>();
    /** The highest log start asked for: recorded in the store one write at a time, each after the one before. */
    private long startToRecord;
    private CompletableFuture<Void> recording = CompletableFuture.completedFuture(null);
    /** Changes to the index other than appends (dropping chunks, the cleaner's swaps) wait for the one before. */
    private CompletableFuture<Void> maintenance = CompletableFuture.completedFuture(null);
    /** The open segment, which the cleaner leaves alone: where it starts, when, and its bytes so far. */
    private long segmentStart;
    private long segmentStartTime;
    private long segmentBytes;
    /** Set once the chunks earlier leaders left are removed: until then the cleaner's unswapped bytes would go too. */
    private volatile boolean tidy;
    private final long openedAt = System.currentTimeMillis();
    /** Whether cleaned bytes that earlier leaders left without an index entry are removed yet. */
    private volatile boolean cleaningLeftoversRemoved;
    /** The cleanings of this log whose bytes are stored and not yet removed, swapped in or waiting to go. */
    private final Set<Long> ownCleanings = ConcurrentHashMap.newKeySet();

    private PartitionLog(PartitionId id, int replicationFactor, int leaderEpoch, PartitionStore store,
            LogSettings settings, LogHost host) {
        this.id = id;
        this.leaderEpoch = leaderEpoch;
        this.stored = new StoredChunks(id, replicationFactor, store);
        this.settings = settings;
        this.host = host;
        this.recent = new RecentChunks(settings.recentMemory());
        this.reader = new ChunkReader(leaderEpoch, index, recent, transactions, stored);
    }

    /** Takes leadership: the log serves once its index, producer state and transactions are rebuilt from the store. */
    public static CompletableFuture<PartitionLog> open(PartitionId id, int replicationFactor, int leaderEpoch,
            PartitionStore store, LogSettings settings, LogHost host) {
        PartitionLog log = new PartitionLog(id, replicationFactor, leaderEpoch, store, settings, host);
        return log.stored.readLogStart().thenCompose(recordedStart -> new LogRecovery(id, log.stored, log.index,
                log.recent, log.producers, log.transactions).recover()
                .thenRun(() -> log.startAtRecoveredOffsets(recordedStart)))
                .thenRun(log::tidyUp)
                .thenApply(v -> log);
    }

    /**
     * In the background: retention applies at once (a log that changed hands need not wait for the next check), and
     * chunks go that earlier leaders left without an index entry, or below the log start they recorded.
     */
    private void tidyUp() {
        long start;
        synchronized (this) {
            start = logStartOffset;
        }
        dropChunksBefore(start);
        enforceRetention(System.currentTimeMillis());
        long logEnd;
        synchronized (this) {
            logEnd = nextOffset;
        }
        // Cleaned bytes not swapped in yet may be a deposed leader's cleaning still under way: the cleaner removes them later.
        stored.removeUnindexed(logEnd, c -> c.cleaning() != 0 || index.indexes(c)).whenComplete((removed, error) -> {
            tidy = true;
            if (error != null) {
                LOG.infof("%s: looking for chunks without an index entry failed: %s", id, error.getMessage());
            } else if (removed > 0) {
                LOG.infof("%s: removed %d chunks no index entry points at, left by earlier leaders", id, removed);
            }
        });
    }

    /**
     * The recorded log start (-1 for none) is where the log starts if no chunk is left from there on, and where the
     * offsets go on if none is left at all: a log emptied by retention or DeleteRecords never hands out an offset twice.
     */
    private synchronized void startAtRecoveredOffsets(long recordedStart) {
        ChunkInfo last = index.last();
        ChunkInfo first = index.first();
        nextOffset = Math.max(last == null ? 0 : last.nextOffset(), recordedStart);
        highWatermark = nextOffset;
        lastStableOffset = Math.min(transactions.firstUnstableOffset(), highWatermark);
        logStartOffset = Math.max(first == null ? nextOffset : first.baseOffset(), recordedStart);
        startToRecord = logStartOffset;
        segmentStart = nextOffset;
        segmentStartTime = System.currentTimeMillis();
        LOG.infof("%s: leading at epoch %d, offsets %d..%d in %d chunks, last stable offset %d", id, leaderEpoch,
                logStartOffset, highWatermark, index.size(), lastStableOffset);
    }

    public PartitionId id() {
        return id;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** The first offset of the earliest durable ongoing transaction, or the high watermark when there is none. */
    public long lastStableOffset() {
        return Math.min(lastStableOffset, highWatermark);
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public boolean isClosed() {
        return closed;
    }

    public void updateSettings(LogSettings settings) {
        this.settings = settings;
    }

    /**
     * Appends the record batches of one produce partition (exactly one batch, as Produce v3+ requires). The batch is
     * checked whole before anything of it is stored, as Kafka's log does ({@link BatchValidator}), then stamped in
     * place with offsets and epoch. A producer's first transactional batch begins its transaction here. Completes when
     * the batch is durable on every owner.
     */
    public CompletableFuture<AppendResult> append(ByteBuffer records) {
        LogSettings current = settings;
        int start = records.position();
        int end = records.limit();
        int size = end - start;
        if (size > current.maxMessageBytes()) {
            return refused(Errors.MESSAGE_TOO_LARGE,
                    "record batch of " + size + " bytes exceeds max.message.bytes " + current.maxMessageBytes());
        }
        try {
            if (BatchHeaders.validate(records, start, end) != 1) {
                return refused(Errors.INVALID_RECORD,
                        "a produce request must carry exactly one record batch per partition");
            }
        } catch (ApiException e) {
            return refused(Errors.forException(e), e.getMessage());
        }
        BatchValidator.Verdict verdict = BatchValidator.validate(records, start, current.records(),
                System.currentTimeMillis());
        if (!verdict.isValid()) {
            return CompletableFuture.completedFuture(
                    AppendResult.failed(verdict.error(), verdict.message(), verdict.recordErrors()));
        }
        if (!current.logAppendTime() && BatchHeaders.maxTimestamp(records, start) != verdict.maxTimestamp()) {
            // As Kafka: the header's max timestamp is what ListOffsets and retention go by, so it must be the records'.
            BatchHeaders.setMaxTimestamp(records, start, verdict.maxTimestamp());
        }
        return appendUnderLock(result -> admitBatch(records, start, end, current, result));
    }

    /**
     * Under the lock: checks a produced batch against its producer's state and enqueues it, or answers it without
     * appending (refused, or a retry of a batch already appended, with that batch's offset).
     */
    private CompletableFuture<AppendResult> admitBatch(ByteBuffer records, int start, int end, LogSettings current,
            CompletableFuture<AppendResult> result) {
        long producerId = BatchHeaders.producerId(records, start);
        // The batch is valid: a producer id comes with an epoch and a sequence, a transactional batch with a producer id.
        boolean idempotent = producerId >= 0;
        boolean transactional = BatchHeaders.isTransactional(records, start);
        TransactionEvent begun = null;
        if (idempotent) {
            short epoch = BatchHeaders.producerEpoch(records, start);
            int firstSeq = BatchHeaders.baseSequence(records, start);
            int lastSeq = BatchHeaders.lastSequence(records, start);
            ProducerStateTable.Check check = producers.check(producerId, epoch, firstSeq, lastSeq);
            if (check instanceof ProducerStateTable.Reject reject) {
                return refused(reject.error(), reject.message());
            }
            if (check instanceof ProducerStateTable.Duplicate duplicate) {
                return duplicate.original().baseOffset()
                        .thenApply(base -> new AppendResult(Errors.NONE, null, base, -1, logStartOffset));
            }
            boolean inTransaction = producers.openTransaction(producerId) >= 0;
            if (inTransaction && !transactional) {
                return refused(Errors.INVALID_TXN_STATE,
                        "producer " + producerId + " has an open transaction: expected a transactional batch");
            }
            producers.record(producerId, epoch, firstSeq, lastSeq, BatchHeaders.maxTimestamp(records, start),
                    result.thenApply(AppendResult::baseOffset));
            if (transactional && !inTransaction) {
                producers.beginTransaction(producerId, nextOffset);
                begun = new TransactionEvent.Begun(producerId, nextOffset);
            }
        }
        enqueue(records, start, end, current, result, begun);
        return null;
    }

    /**
     * WriteTxnMarkers: appends the COMMIT or ABORT marker of a producer's transaction through the same group commit as
     * produced batches; the transaction ends once the marker is durable. A marker for a producer with no open
     * transaction here is written all the same, as Kafka does: it changes nothing for readers.
     */
    public CompletableFuture<AppendResult> appendMarker(long producerId, short producerEpoch, int coordinatorEpoch,
            boolean commit) {
        ByteBuffer marker = BatchRecords.endTransactionMarker(producerId, producerEpoch, coordinatorEpoch, commit,
                System.currentTimeMillis());
        return appendUnderLock(result -> {
            if (producers.checkMarker(producerId, producerEpoch,
                    coordinatorEpoch) instanceof ProducerStateTable.Reject reject) {
                return refused(reject.error(), reject.message());
            }
            producers.recordMarker(producerId, producerEpoch, coordinatorEpoch);
            long firstOffset = producers.endTransaction(producerId);
            TransactionEvent ended = firstOffset < 0 ? null
                    : new TransactionEvent.Ended(producerId, firstOffset, nextOffset, commit);
            enqueue(marker, marker.position(), marker.limit(), settings, result, ended);
            return null;
        });
    }

    /**
     * What an append does under the log's lock: its checks, and the enqueueing of its batch into the open chunk. It
     * answers null once the batch is enqueued (the append's {@code result} completes when the batch is durable), or
     * the answer to give instead.
     */
    @FunctionalInterface
    private interface Admission {
        CompletableFuture<AppendResult> admit(CompletableFuture<AppendResult> result);
    }

    /**
     * Admits an append under the lock unless the log is closed; once its batch is enqueued and no write is in flight,
     * writes the open chunk (launched outside the lock).
     */
    private CompletableFuture<AppendResult> appendUnderLock(Admission admission) {
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        ChunkWrite write;
        synchronized (this) {
            if (closed) {
                return refused(Errors.NOT_LEADER_OR_FOLLOWER, id + " is no longer led here");
            }
            CompletableFuture<AppendResult> answer = admission.admit(result);
            if (answer != null) {
                return answer;
            }
            write = writing ? null : startWrite();
        }
        if (write != null) {
            launch(write);
        }
        return result;
    }

    private static CompletableFuture<AppendResult> refused(Errors error, String message) {
        return CompletableFuture.completedFuture(AppendResult.failed(error, message));
    }

    /**
     * Under the lock: stamps the batch with its offsets and epoch and adds it, with its transaction event if any, to
     * the open chunk.
     */
    private void enqueue(ByteBuffer records, int start, int end, LogSettings current,
            CompletableFuture<AppendResult> result, TransactionEvent event) {
        long baseOffset = nextOffset;
        BatchHeaders.setBaseOffset(records, start, baseOffset);
        BatchHeaders.setLeaderEpoch(records, start, leaderEpoch);
        long appendTime = -1;
        if (current.logAppendTime()) {
            appendTime = System.currentTimeMillis();
            BatchHeaders.setLogAppendTime(records, start, appendTime);
        }
        long lastOffset = BatchHeaders.lastOffset(records, start);
        nextOffset = lastOffset + 1;
        open.append(records, start, end, baseOffset, lastOffset, BatchHeaders.maxTimestamp(records, start),
                new PendingAppend(result, baseOffset, appendTime));
        if (event != null) {
            open.record(event);
        }
    }

    private record ChunkWrite(ChunkInfo info, byte[] bytes, List<PendingAppend> appends,
            List<TransactionEvent> events) {
    }

    /** Under the lock: seals the open chunk for writing. */
    private ChunkWrite startWrite() {
        writing = true;
        OpenChunk sealed = open;
        open = new OpenChunk();
        return new ChunkWrite(sealed.info(leaderEpoch), sealed.bytes(), sealed.appends(), sealed.events());
    }

    private void launch(ChunkWrite write) {
        if (!host.leaseHeld()) {
            failed(write, new IllegalStateException("this broker stalled and has not heard from the coordinator since"));
            return;
        }
        stored.write(write.info(), write.bytes(), write.events())
                .whenComplete((claimed, error) -> {
                    if (error != null) {
                        failed(write, error);
                    } else if (!claimed) {
                        failed(write, new IllegalStateException("another leader wrote offset "
                                + write.info().baseOffset() + " first"));
                    } else {
                        committed(write);
                    }
                });
    }

    private void committed(ChunkWrite write) {
        ChunkWrite next = null;
        List<Runnable> listeners;
        synchronized (this) {
            rollSegment(write.info(), System.currentTimeMillis());
            index.add(write.info());
            recent.add(write.info(), write.bytes());
            write.events().forEach(transactions::apply);
            highWatermark = write.info().nextOffset();
            lastStableOffset = Math.min(transactions.firstUnstableOffset(), highWatermark);
            listeners = commitListeners;
            commitListeners = new ArrayList<>();
            writing = false;
            if (!open.isEmpty() && !closed) {
                next = startWrite();
            }
        }
        if (next != null) {
            launch(next);
        }
        listeners.forEach(Runnable::run);
        long start = logStartOffset;
        for (PendingAppend append : write.appends()) {
            append.result().complete(new AppendResult(Errors.NONE, null, append.baseOffset(), append.appendTime(),
                    start));
        }
    }

    /** Under the lock: a chunk written once the open segment is full or old starts the next one, as Kafka rolls. */
    private void rollSegment(ChunkInfo chunk, long now) {
        Cleanup cleanup = settings.cleanup();
        if (segmentBytes >= cleanup.segmentBytes() || now - segmentStartTime >= cleanup.segmentMs()) {
            segmentStart = chunk.baseOffset();
            segmentStartTime = now;
            segmentBytes = 0;
        }
        segmentBytes += chunk.sizeInBytes();
    }

    private void failed(ChunkWrite write, Throwable error) {
        LOG.warnf("%s: writing the chunk at offset %d failed, giving up this leadership: %s", id,
                write.info().baseOffset(), error.getMessage());
        List<PendingAppend> abandoned = new ArrayList<>(write.appends());
        synchronized (this) {
            abandoned.addAll(open.appends());
        }
        close();
        AppendResult notLeader = AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER, "the write to the store failed");
        abandoned.forEach(a -> a.result().complete(notLeader));
        host.gaveUp(this);
    }

    /** Stops appending at once (leadership lost); pending reads and waiters are released. */
    public void close() {
        List<Runnable> listeners;
        List<PendingAppend> abandoned;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            listeners = commitListeners;
            commitListeners = new ArrayList<>();
            abandoned = open.appends();
            open = new OpenChunk();
        }
        recent.clear();
        AppendResult notLeader = AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER, id + " is no longer led here");
        abandoned.forEach(a -> a.result().complete(notLeader));
        listeners.forEach(Runnable::run);
    }

    /**
     * Runs {@code listener} once, at the next commit or when the log closes; at once if a commit came since a read saw
     * {@code seenHighWatermark} (every commit moves it), which a waiter would otherwise sleep through. Returns what
     * forgets the listener, for a waiter woken by another log or its timer: one that kept listening to a partition that
     * sees no commits would stay in its list for good.
     */
    public Runnable onCommitAfter(long seenHighWatermark, Runnable listener) {
        boolean now;
        synchronized (this) {
            now = closed || highWatermark != seenHighWatermark;
            if (!now) {
                commitListeners.add(listener);
            }
        }
        if (now) {
            listener.run();
            return () -> {
            };
        }
        return () -> {
            synchronized (this) {
                commitListeners.remove(listener);
            }
        };
    }

    /**
     * Whole batches from {@code offset}, at most {@code maxBytes} unless the first batch alone is larger: below the
     * high watermark, or for read_committed below the last stable offset, with the aborted transactions they overlap.
     * With {@code maxBytes} 0, the log's bounds only (or the offset's error).
     */
    public CompletableFuture<ReadResult> read(long offset, int maxBytes, IsolationLevel isolation) {
        LogBounds bounds = bounds();
        if (closed) {
            return CompletableFuture.completedFuture(ReadResult.failed(Errors.NOT_LEADER_OR_FOLLOWER));
        }
        return reader.read(offset, maxBytes, isolation, bounds);
    }

    /**
     * ListOffsets: the special timestamps -1 latest (the last stable offset for read_committed), -2 earliest, -3 max
     * timestamp, -4 earliest local (the earliest: nothing is tiered), -5 latest tiered and -6 earliest pending upload
     * (-1: nothing is tiered); a timestamp search finds nothing a read at that isolation cannot reach.
     */
    public CompletableFuture<OffsetAndTimestamp> offsetForTimestamp(long timestamp, IsolationLevel isolation) {
        return reader.offsetForTimestamp(timestamp, isolation, bounds());
    }

    /** DescribeLogDirs: the bytes of the committed chunks this log holds. */
    public long sizeInBytes() {
        return index.totalBytes();
    }

    /** DescribeProducers: the producers this leader knows, appended or recovered. */
    public synchronized List<ProducerState> activeProducers() {
        return producers.active();
    }

    /** OffsetForLeaderEpoch: the end offset of {@code epoch} as this log knows it. */
    public EpochEnd endOffsetForEpoch(int epoch) {
        return reader.endOffsetForEpoch(epoch, highWatermark);
    }

    private LogBounds bounds() {
        long hw = highWatermark;
        long lso = Math.min(lastStableOffset, hw);
        return new LogBounds(logStartOffset, hw, lso);
    }

    /**
     * Retention: the log starts after the whole chunks from the head that are older than retention.ms or beyond
     * retention.bytes, up to the first that holds part of an ongoing transaction.
     */
    public CompletableFuture<Void> enforceRetention(long now) {
        LogSettings current = settings;
        if (!current.cleanup().delete()) {
            return CompletableFuture.completedFuture(null);
        }
        List<ChunkInfo> expired;
        synchronized (this) {
            expired = index.expired(current.retentionMs(), current.retentionBytes(), now,
                    transactions.firstUnstableOffset());
        }
        return expired.isEmpty() ? CompletableFuture.completedFuture(null)
                : moveLogStart(expired.get(expired.size() - 1).nextOffset());
    }

    /**
     * DeleteRecords: the log starts at {@code offset} ({@code -1}: the high watermark) from now on, if that is past its
     * start; completes with the log start offset once it is recorded in the store, where every later leader starts
     * from. An offset beyond the high watermark fails with OFFSET_OUT_OF_RANGE, a store that cannot record it with
     * KAFKA_STORAGE_ERROR (both as {@link ApiException}s).
     */
    public CompletableFuture<Long> deleteRecordsBefore(long offset) {
        long hw = highWatermark;
        long target = offset == DeleteRecordsRequest.HIGH_WATERMARK ? hw : offset;
        if (closed) {
            return CompletableFuture.failedFuture(new NotLeaderOrFollowerException(id + " is no longer led here"));
        }
        if (target < 0 || target > hw) {
            return CompletableFuture.failedFuture(new OffsetOutOfRangeException(
                    "offset " + offset + " is outside " + id + "'s log, which ends at " + hw));
        }
        return moveLogStart(target).handle((moved, error) -> {
            if (error != null) {
                throw new KafkaStorageException("recording the log start offset failed", error);
            }
            return logStartOffset;
        });
    }

    /**
     * Moves the log start forward to {@code offset}: records it in the store first, so that a leader dying halfway
     * leaves its successor the new start (which drops the chunks below it), then drops those chunks, but none that
     * holds part of an ongoing transaction: a new leader finds where the transaction began in that chunk's entry.
     */
    private CompletableFuture<Void> moveLogStart(long offset) {
        CompletableFuture<Void> recorded;
        synchronized (this) {
            if (offset > startToRecord) {
                startToRecord = offset;
                recording = recording.exceptionally(failed -> null).thenCompose(v -> recordStart());
            }
            recorded = recording;
        }
        return recorded.thenCompose(v -> dropChunksBefore(offset));
    }

    private CompletableFuture<Void> recordStart() {
        long start;
        synchronized (this) {
            start = startToRecord;
        }
        return stored.writeLogStart(start);
    }

    private CompletableFuture<Void> dropChunksBefore(long offset) {
        return serially(() -> dropChunksBeforeNow(offset));
    }

    private CompletableFuture<Void> dropChunksBeforeNow(long offset) {
        List<ChunkInfo> dropped;
        synchronized (this) {
            logStartOffset = Math.max(logStartOffset, offset);
            dropped = index.before(logStartOffset, transactions.firstUnstableOffset());
            for (ChunkInfo chunk : dropped) {
                index.remove(chunk.baseOffset());
                recent.remove(chunk.baseOffset());
            }
            transactions.dropBefore(logStartOffset);
        }
        if (dropped.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.infof("%s: the log starts at %d, %d chunks before it go", id, offset, dropped.size());
        return CompletableFuture.allOf(dropped.stream().map(stored::delete).toArray(CompletableFuture[]::new));
    }

    /**
     * Runs a change of the index other than an append once the one before it is done, so that the cleaner's swap never
     * meets a chunk dropped under it.
     */
    private <T> CompletableFuture<T> serially(Supplier<CompletableFuture<T>> change) {
        CompletableFuture<Void> previous;
        CompletableFuture<Void> turn = new CompletableFuture<>();
        synchronized (this) {
            previous = maintenance;
            maintenance = turn;
        }
        CompletableFuture<T> result = previous.thenCompose(v -> change.get());
        result.whenComplete((r, e) -> turn.complete(null));
        return result;
    }

    // The log cleaner's side (LogCleaner)

    /** Whether the cleaner may work on this log: it compacts, serves, and what earlier leaders left is removed. */
    boolean compacts() {
        return settings.cleanup().compact() && tidy && !closed;
    }

    LogSettings settings() {
        return settings;
    }

    /**
     * The chunks the cleaner may clean at {@code now}, oldest first, from the log start up to the first that is in the
     * open segment, holds part of an ongoing transaction, is younger than min.compaction.lag.ms, or is among the newest
     * chunks a new leader replays for producer state.
     */
    synchronized List<ChunkInfo> cleanableChunks(long now) {
        long end = Math.min(segmentStart, lastStableOffset());
        List<ChunkInfo> replayed = index.newest(LogRecovery.CHUNKS_REPLAYED);
        if (replayed.size() < LogRecovery.CHUNKS_REPLAYED) {
            return List.of();
        }
        end = Math.min(end, replayed.get(replayed.size() - 1).baseOffset());
        return index.cleanable(end, now - settings.cleanup().minCompactionLagMs());
    }

    /** A chunk's bytes, from memory or the store; null if missing. */
    CompletableFuture<byte[]> chunkBytes(ChunkInfo chunk) {
        return reader.chunkBytes(chunk);
    }

    /** The index entries of chunks as stored (their fields and transaction events; null for a free slot). */
    CompletableFuture<List<byte[]>> storedEntries(List<ChunkInfo> chunks) {
        return stored.readEntries(chunks);
    }

    /** Whether the batch at {@code offset} of {@code producerId} belongs to an aborted transaction. */
    boolean inAbortedTransaction(long producerId, long offset) {
        return transactions.abortedWithin(offset, offset + 1).stream().anyMatch(t -> t.producerId() == producerId);
    }

    CompletableFuture<Void> writeCleaned(ChunkInfo cleaned, byte[] bytes) {
        ownCleanings.add(cleaned.cleaning());
        return stored.writeCleaned(cleaned, bytes);
    }

    /**
     * Puts a cleaned chunk, already stored, in place of {@code replaced} (consecutive chunks, the first at its base
     * offset, with their index entries as read): in the store, then in the index, where the cleaned chunk first takes
     * the first one's place, so no offset is ever without a chunk. Completes with false, changing nothing, when the log
     * no longer leads, has dropped or changed one of them, or the store's first slot changed.
     */
    CompletableFuture<Boolean> replaceChunks(List<ChunkInfo> replaced, List<byte[]> entries, ChunkInfo cleaned,
            List<TransactionEvent> events) {
        return serially(() -> {
            synchronized (this) {
                if (closed || !host.leaseHeld() || !replaced.stream().allMatch(c -> c.equals(index.get(c.baseOffset())))) {
                    return CompletableFuture.completedFuture(false);
                }
            }
            return stored.swap(cleaned, events, replaced, entries).thenApply(swapped -> {
                if (swapped) {
                    synchronized (this) {
                        index.add(cleaned);
                        replaced.forEach(c -> recent.remove(c.baseOffset()));
                        replaced.stream().skip(1).forEach(c -> index.remove(c.baseOffset()));
                    }
                }
                return swapped;
            });
        });
    }

    /**
     * Once this log has led for {@code grace}, by when any leader before it has stopped cleaning, removes the cleaned
     * bytes that no index entry points at: cleanings cut short, or lost to another leader. Called by the cleaner
     * between its passes, so none of its own is under way; completes with how many it removed (0 when not due).
     */
    CompletableFuture<Integer> removeCleaningLeftovers(long now, long grace) {
        if (cleaningLeftoversRemoved || now - openedAt < grace) {
            return CompletableFuture.completedFuture(0);
        }
        cleaningLeftoversRemoved = true;
        return stored.removeUnindexed(Long.MAX_VALUE,
                c -> c.cleaning() == 0 || index.indexes(c) || ownCleanings.contains(c.cleaning()));
    }

    /**
     * Removes the bytes of chunks the cleaner replaced, or of one it made and could not swap in, once no read can be
     * under way on them.
     */
    CompletableFuture<Void> removeReplaced(List<ChunkInfo> chunks) {
        return stored.removeBytes(chunks).whenComplete((done, error) -> chunks.stream().filter(ChunkInfo::isCleaned)
                .forEach(c -> ownCleanings.remove(c.cleaning())));
    }

    @Override
    public String toString() {
        return id + "@" + leaderEpoch;
    }
}
