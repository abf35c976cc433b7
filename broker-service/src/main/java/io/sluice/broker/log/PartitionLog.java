package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.broker.store.ChunkKey;
import io.sluice.broker.store.PartitionStore;
import io.sluice.protocol.record.RecordBatches;
import io.sluice.protocol.record.RecordBytes;

/**
 * The log of one partition this broker leads, for one leader epoch. Appends assign offsets and go into an open chunk;
 * the chunk is written to the replicated store as soon as the previous write is acknowledged (group commit, one write
 * in flight), and only then do the high watermark, the last stable offset and the produce answers move. Reads serve
 * committed chunks only, and read_committed ones only below the last stable offset.
 */
public final class PartitionLog {

    private static final Logger LOG = Logger.getLogger(PartitionLog.class);
    /** Chunks read back at takeover to rebuild idempotent-producer state. */
    private static final int CHUNKS_REPLAYED = 8;
    /** Chunks one read may gather, so a catch-up read of many small chunks still fills a fetch. */
    private static final int MAX_CHUNKS_PER_READ = 64;

    private final PartitionId id;
    private final int replicationFactor;
    private final int leaderEpoch;
    private final PartitionStore store;
    private final Consumer<PartitionLog> onWriteFailure;
    private final ChunkIndex index = new ChunkIndex();
    private final RecentChunks recent;
    private final ProducerStateTable producers = new ProducerStateTable();
    private final TransactionIndex transactions = new TransactionIndex();
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

    private PartitionLog(PartitionId id, int replicationFactor, int leaderEpoch, PartitionStore store,
            LogSettings settings, Consumer<PartitionLog> onWriteFailure) {
        this.id = id;
        this.replicationFactor = replicationFactor;
        this.leaderEpoch = leaderEpoch;
        this.store = store;
        this.settings = settings;
        this.onWriteFailure = onWriteFailure;
        this.recent = new RecentChunks(settings.recentBytes());
    }

    /** Takes leadership: rebuilds the index, producer state and transactions from the store. */
    public static CompletableFuture<PartitionLog> open(PartitionId id, int replicationFactor, int leaderEpoch,
            PartitionStore store, LogSettings settings, Consumer<PartitionLog> onWriteFailure) {
        PartitionLog log = new PartitionLog(id, replicationFactor, leaderEpoch, store, settings, onWriteFailure);
        return store.readIndex(replicationFactor, id.topicId(), id.partition())
                .thenCompose(log::recover)
                .thenApply(v -> log);
    }

    private CompletableFuture<Void> recover(NavigableMap<Long, byte[]> entries) {
        for (Map.Entry<Long, byte[]> entry : entries.entrySet()) {
            index.add(ChunkInfo.decode(entry.getKey(), entry.getValue()));
        }
        List<ChunkInfo> tail = new ArrayList<>(index.view().descendingMap().values().stream()
                .limit(CHUNKS_REPLAYED).toList());
        return replay(tail, 0, true)
                .thenRun(() -> rebuildTransactions(entries))
                .thenRun(this::resetBounds);
    }

    /** Replays the transaction events of every chunk that survived recovery, oldest first. */
    private synchronized void rebuildTransactions(NavigableMap<Long, byte[]> entries) {
        for (Map.Entry<Long, byte[]> entry : entries.entrySet()) {
            if (index.view().containsKey(entry.getKey())) {
                ChunkInfo.events(entry.getValue()).forEach(transactions::apply);
            }
        }
        transactions.ongoing().forEach(producers::beginTransaction);
    }

    /** Reads the tail chunks newest first; a newest index entry without its chunk is a write that never finished. */
    private CompletableFuture<Void> replay(List<ChunkInfo> tail, int i, boolean newest) {
        if (i == tail.size()) {
            return CompletableFuture.completedFuture(null);
        }
        ChunkInfo chunk = tail.get(i);
        return store.readChunk(replicationFactor, key(chunk.baseOffset()), chunk.leaderEpoch()).thenCompose(bytes -> {
            if (bytes == null) {
                if (!newest) {
                    return CompletableFuture.failedFuture(new IllegalStateException(
                            id + ": chunk at offset " + chunk.baseOffset() + " is missing from the store"));
                }
                LOG.infof("%s: dropping unfinished chunk at offset %d", id, chunk.baseOffset());
                index.remove(chunk.baseOffset());
                return replay(tail, i + 1, true);
            }
            CompletableFuture<Void> older = replay(tail, i + 1, false);
            return older.thenRun(() -> {
                synchronized (this) {
                    replayProducers(bytes);
                    recent.add(chunk.baseOffset(), bytes);
                }
            });
        });
    }

    private void replayProducers(byte[] chunk) {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        for (int pos = 0; pos < chunk.length; pos += RecordBatches.size(b, pos)) {
            long producerId = RecordBatches.producerId(b, pos);
            if (producerId >= 0 && RecordBatches.isControl(b, pos)) {
                ByteBuffer marker = ByteBuffer.wrap(chunk, pos, RecordBatches.size(b, pos)).slice();
                producers.recordMarker(producerId, RecordBatches.producerEpoch(b, pos),
                        RecordBytes.markerCoordinatorEpoch(marker));
            } else if (producerId >= 0 && RecordBatches.baseSequence(b, pos) >= 0) {
                producers.record(producerId, RecordBatches.producerEpoch(b, pos), RecordBatches.baseSequence(b, pos),
                        RecordBatches.lastSequence(b, pos),
                        CompletableFuture.completedFuture(RecordBatches.baseOffset(b, pos)));
            }
        }
    }

    private synchronized void resetBounds() {
        ChunkInfo last = index.last();
        ChunkInfo first = index.first();
        nextOffset = last == null ? 0 : last.nextOffset();
        highWatermark = nextOffset;
        lastStableOffset = Math.min(transactions.firstUnstableOffset(), highWatermark);
        logStartOffset = first == null ? nextOffset : first.baseOffset();
        LOG.infof("%s: leading at epoch %d, offsets %d..%d in %d chunks, last stable offset %d", id, leaderEpoch,
                logStartOffset, highWatermark, index.view().size(), lastStableOffset);
    }

    public PartitionId id() {
        return id;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public int replicationFactor() {
        return replicationFactor;
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
     * Appends the record batches of one produce partition (exactly one batch, as Produce v3+ requires). The buffer is
     * stamped in place with offsets and epoch. A producer's first transactional batch begins its transaction here.
     * Completes when the batch is durable on every owner.
     */
    public CompletableFuture<AppendResult> append(ByteBuffer records) {
        LogSettings current = settings;
        int start = records.position();
        int end = records.limit();
        try {
            if (RecordBatches.validate(records, start, end) != 1) {
                return CompletableFuture.completedFuture(AppendResult.failed(Errors.INVALID_RECORD,
                        "a produce request must carry exactly one record batch per partition"));
            }
        } catch (ApiException e) {
            return CompletableFuture.completedFuture(AppendResult.failed(Errors.forException(e), e.getMessage()));
        }
        int size = end - start;
        if (size > current.maxMessageBytes()) {
            return CompletableFuture.completedFuture(AppendResult.failed(Errors.MESSAGE_TOO_LARGE,
                    "record batch of " + size + " bytes exceeds max.message.bytes " + current.maxMessageBytes()));
        }
        if (RecordBatches.isControl(records, start)) {
            return CompletableFuture.completedFuture(AppendResult.failed(Errors.INVALID_RECORD,
                    "clients may not write control batches"));
        }
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        ChunkWrite write;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER,
                        id + " is no longer led here"));
            }
            long producerId = RecordBatches.producerId(records, start);
            boolean idempotent = producerId >= 0 && RecordBatches.baseSequence(records, start) >= 0;
            boolean transactional = RecordBatches.isTransactional(records, start);
            TransactionEvent begun = null;
            if (transactional && !idempotent) {
                return CompletableFuture.completedFuture(AppendResult.failed(Errors.INVALID_RECORD,
                        "a transactional batch needs a producer id and a sequence"));
            }
            if (idempotent) {
                short epoch = RecordBatches.producerEpoch(records, start);
                int firstSeq = RecordBatches.baseSequence(records, start);
                int lastSeq = RecordBatches.lastSequence(records, start);
                ProducerStateTable.Check check = producers.check(producerId, epoch, firstSeq, lastSeq);
                if (check instanceof ProducerStateTable.Reject reject) {
                    return CompletableFuture.completedFuture(AppendResult.failed(reject.error(), reject.message()));
                }
                if (check instanceof ProducerStateTable.Duplicate duplicate) {
                    return duplicate.original().baseOffset()
                            .thenApply(base -> new AppendResult(Errors.NONE, null, base, -1, logStartOffset));
                }
                boolean inTransaction = producers.openTransaction(producerId) >= 0;
                if (inTransaction && !transactional) {
                    return CompletableFuture.completedFuture(AppendResult.failed(Errors.INVALID_TXN_STATE,
                            "producer " + producerId + " has an open transaction: expected a transactional batch"));
                }
                producers.record(producerId, epoch, firstSeq, lastSeq, result.thenApply(AppendResult::baseOffset));
                if (transactional && !inTransaction) {
                    producers.beginTransaction(producerId, nextOffset);
                    begun = new TransactionEvent.Begun(producerId, nextOffset);
                }
            }
            write = enqueue(records, start, end, current, result, begun);
        }
        if (write != null) {
            launch(write);
        }
        return result;
    }

    /**
     * WriteTxnMarkers: appends the COMMIT or ABORT marker of a producer's transaction through the same group commit as
     * produced batches; the transaction ends once the marker is durable. A marker for a producer with no open
     * transaction here is written all the same, as Kafka does: it changes nothing for readers.
     */
    public CompletableFuture<AppendResult> appendMarker(long producerId, short producerEpoch, int coordinatorEpoch,
            boolean commit) {
        ByteBuffer marker = RecordBytes.endTransactionMarker(producerId, producerEpoch, coordinatorEpoch, commit,
                System.currentTimeMillis());
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        ChunkWrite write;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER,
                        id + " is no longer led here"));
            }
            if (producers.checkMarker(producerId, producerEpoch,
                    coordinatorEpoch) instanceof ProducerStateTable.Reject reject) {
                return CompletableFuture.completedFuture(AppendResult.failed(reject.error(), reject.message()));
            }
            producers.recordMarker(producerId, producerEpoch, coordinatorEpoch);
            long firstOffset = producers.endTransaction(producerId);
            TransactionEvent ended = firstOffset < 0 ? null
                    : new TransactionEvent.Ended(producerId, firstOffset, nextOffset, commit);
            write = enqueue(marker, marker.position(), marker.limit(), settings, result, ended);
        }
        if (write != null) {
            launch(write);
        }
        return result;
    }

    /**
     * Under the lock: stamps the batch with its offsets and epoch and adds it, with its transaction event if any, to
     * the open chunk. Returns the write to launch when none is in flight.
     */
    private ChunkWrite enqueue(ByteBuffer records, int start, int end, LogSettings current,
            CompletableFuture<AppendResult> result, TransactionEvent event) {
        long baseOffset = nextOffset;
        RecordBatches.setBaseOffset(records, start, baseOffset);
        RecordBatches.setLeaderEpoch(records, start, leaderEpoch);
        long appendTime = -1;
        if (current.logAppendTime()) {
            appendTime = System.currentTimeMillis();
            RecordBatches.setLogAppendTime(records, start, appendTime);
        }
        long lastOffset = RecordBatches.lastOffset(records, start);
        nextOffset = lastOffset + 1;
        open.append(records, start, end, baseOffset, lastOffset, RecordBatches.maxTimestamp(records, start),
                new PendingAppend(result, baseOffset, appendTime));
        if (event != null) {
            open.record(event);
        }
        return writing ? null : startWrite();
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
        store.write(replicationFactor, key(write.info().baseOffset()), leaderEpoch, write.bytes(),
                write.info().encode(write.events()))
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
            index.add(write.info());
            recent.add(write.info().baseOffset(), write.bytes());
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
        onWriteFailure.accept(this);
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
        AppendResult notLeader = AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER, id + " is no longer led here");
        abandoned.forEach(a -> a.result().complete(notLeader));
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} once, at the next commit or when the log closes. */
    public void onNextCommit(Runnable listener) {
        boolean now;
        synchronized (this) {
            now = closed;
            if (!now) {
                commitListeners.add(listener);
            }
        }
        if (now) {
            listener.run();
        }
    }

    /**
     * Whole batches from {@code offset}, at most {@code maxBytes} unless the first batch alone is larger: below the
     * high watermark, or for read_committed below the last stable offset, with the aborted transactions they overlap.
     */
    public CompletableFuture<ReadResult> read(long offset, int maxBytes, IsolationLevel isolation) {
        long hw = highWatermark;
        long lso = Math.min(lastStableOffset, hw);
        long start = logStartOffset;
        boolean readCommitted = isolation == IsolationLevel.READ_COMMITTED;
        long limit = readCommitted ? lso : hw;
        if (closed) {
            return CompletableFuture.completedFuture(ReadResult.failed(Errors.NOT_LEADER_OR_FOLLOWER));
        }
        if (offset >= limit && offset <= hw) {
            return CompletableFuture.completedFuture(ReadResult.empty(hw, lso, start, readCommitted));
        }
        ChunkInfo chunk = offset < start || offset > hw ? null : index.chunkOf(offset);
        if (chunk == null) {
            return CompletableFuture.completedFuture(ReadResult.failed(Errors.OFFSET_OUT_OF_RANGE));
        }
        return collect(chunk, offset, maxBytes, limit, new ArrayList<>()).thenApply(slices -> {
            if (slices == null) {
                return ReadResult.failed(Errors.OFFSET_OUT_OF_RANGE);
            }
            if (slices.isEmpty()) {
                return ReadResult.empty(hw, lso, start, readCommitted);
            }
            long end = slices.get(slices.size() - 1).nextOffset();
            return new ReadResult(Errors.NONE, concat(slices), hw, lso, start,
                    readCommitted ? transactions.abortedWithin(offset, end) : null);
        });
    }

    /** Whole batches cut from one chunk, and the offset after the last of them. */
    private record Slice(ByteBuffer bytes, long nextOffset) {
    }

    /** Gathers slices of consecutive chunks below {@code limit} until the byte budget is spent. */
    private CompletableFuture<List<Slice>> collect(ChunkInfo chunk, long offset, int budget, long limit,
            List<Slice> slices) {
        return chunkBytes(chunk).thenCompose(bytes -> {
            if (bytes == null) {
                return CompletableFuture.completedFuture(slices.isEmpty() ? null : slices);
            }
            int from = firstBatchAt(bytes, offset);
            Slice slice = slice(bytes, from, budget, slices.isEmpty(), limit);
            int taken = slice.bytes().remaining();
            if (taken > 0) {
                slices.add(slice);
            }
            int left = budget - taken;
            ChunkInfo next = index.chunkOf(chunk.nextOffset());
            boolean tookTheRest = from + taken == bytes.length;
            if (!tookTheRest || left <= 0 || next == null || next.baseOffset() >= limit
                    || slices.size() >= MAX_CHUNKS_PER_READ) {
                return CompletableFuture.completedFuture(slices);
            }
            return collect(next, next.baseOffset(), left, limit, slices);
        });
    }

    private static ByteBuffer concat(List<Slice> slices) {
        if (slices.size() == 1) {
            return slices.get(0).bytes();
        }
        int size = slices.stream().mapToInt(s -> s.bytes().remaining()).sum();
        ByteBuffer joined = ByteBuffer.allocate(size);
        slices.forEach(s -> joined.put(s.bytes().duplicate()));
        return joined.flip();
    }

    /** Position of the batch holding {@code offset} within a chunk. */
    private static int firstBatchAt(byte[] chunk, long offset) {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        int pos = 0;
        while (pos < chunk.length && RecordBatches.lastOffset(b, pos) < offset) {
            pos += RecordBatches.size(b, pos);
        }
        return pos;
    }

    /**
     * The whole batches from {@code from} that start below {@code limit} and fit {@code maxBytes}; a read's first
     * batch always fits.
     */
    private static Slice slice(byte[] chunk, int from, int maxBytes, boolean firstOfRead, long limit) {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        int pos = from;
        long next = -1;
        while (pos < chunk.length && RecordBatches.baseOffset(b, pos) < limit) {
            int size = RecordBatches.size(b, pos);
            if ((pos > from || !firstOfRead) && pos - from + size > maxBytes) {
                break;
            }
            next = RecordBatches.lastOffset(b, pos) + 1;
            pos += size;
        }
        return new Slice(ByteBuffer.wrap(chunk, from, pos - from).slice(), next);
    }

    private CompletableFuture<byte[]> chunkBytes(ChunkInfo chunk) {
        byte[] cached = recent.get(chunk.baseOffset());
        return cached != null ? CompletableFuture.completedFuture(cached)
                : store.readChunk(replicationFactor, key(chunk.baseOffset()), chunk.leaderEpoch());
    }

    /** An offset found by ListOffsets: the offset and the timestamp of the record, or -1s. */
    public record OffsetAndTimestamp(long offset, long timestamp) {
        static final OffsetAndTimestamp NONE = new OffsetAndTimestamp(-1, -1);
    }

    /**
     * ListOffsets: the special timestamps -1 latest (the last stable offset for read_committed), -2 earliest, -3 max
     * timestamp, -4/-5 earliest local/tiered; a timestamp search finds nothing a read at that isolation cannot reach.
     */
    public CompletableFuture<OffsetAndTimestamp> offsetForTimestamp(long timestamp, IsolationLevel isolation) {
        long limit = isolation == IsolationLevel.READ_COMMITTED ? lastStableOffset() : highWatermark;
        if (timestamp == -1) {
            return CompletableFuture.completedFuture(new OffsetAndTimestamp(limit, -1));
        }
        if (timestamp == -2 || timestamp == -4 || timestamp == -5) {
            return CompletableFuture.completedFuture(new OffsetAndTimestamp(logStartOffset, -1));
        }
        if (timestamp == -3) {
            ChunkInfo chunk = index.newestTimestamp();
            if (chunk == null) {
                return CompletableFuture.completedFuture(OffsetAndTimestamp.NONE);
            }
            return chunkBytes(chunk).thenApply(bytes -> {
                RecordBytes.Found found = bytes == null ? null : RecordBytes.maxTimestamp(ByteBuffer.wrap(bytes));
                return found == null ? OffsetAndTimestamp.NONE
                        : new OffsetAndTimestamp(found.offset(), found.timestamp());
            });
        }
        ChunkInfo chunk = index.firstReaching(timestamp);
        if (chunk == null) {
            return CompletableFuture.completedFuture(OffsetAndTimestamp.NONE);
        }
        long from = logStartOffset;
        return chunkBytes(chunk).thenApply(bytes -> {
            RecordBytes.Found found = bytes == null ? null
                    : RecordBytes.firstAtOrAfter(ByteBuffer.wrap(bytes), timestamp, from);
            return found == null || found.offset() >= limit ? OffsetAndTimestamp.NONE
                    : new OffsetAndTimestamp(found.offset(), found.timestamp());
        });
    }

    /** Where a leader epoch ended: the first offset written in a later epoch, or -1s for an epoch unknown here. */
    public record EpochEnd(int leaderEpoch, long endOffset) {
    }

    /** OffsetForLeaderEpoch: the end offset of {@code epoch} as this log knows it. */
    public EpochEnd endOffsetForEpoch(int epoch) {
        if (epoch > leaderEpoch) {
            return new EpochEnd(-1, -1);
        }
        ChunkInfo after = index.firstAfterEpoch(epoch);
        return after == null || epoch == leaderEpoch
                ? new EpochEnd(epoch, highWatermark)
                : new EpochEnd(epoch, after.baseOffset());
    }

    /**
     * Deletes whole chunks from the head that are older than retention.ms or beyond retention.bytes, but none that
     * holds part of an ongoing transaction: a new leader finds where the transaction began in that chunk's entry.
     */
    public CompletableFuture<Void> enforceRetention(long now) {
        LogSettings current = settings;
        List<ChunkInfo> expired = new ArrayList<>();
        synchronized (this) {
            long excess = current.retentionBytes() < 0 ? 0 : index.totalBytes() - current.retentionBytes();
            long unstable = transactions.firstUnstableOffset();
            for (ChunkInfo chunk : index.view().values()) {
                boolean tooOld = current.retentionMs() >= 0 && chunk.maxTimestamp() < now - current.retentionMs();
                if ((!tooOld && excess <= 0) || chunk.lastOffset() >= unstable) {
                    break;
                }
                excess -= chunk.sizeInBytes();
                expired.add(chunk);
            }
            for (ChunkInfo chunk : expired) {
                index.remove(chunk.baseOffset());
                recent.remove(chunk.baseOffset());
            }
            if (!expired.isEmpty()) {
                ChunkInfo first = index.first();
                logStartOffset = first == null ? highWatermark : first.baseOffset();
                transactions.dropBefore(logStartOffset);
                LOG.infof("%s: retention removed %d chunks, log starts at %d", id, expired.size(), logStartOffset);
            }
        }
        if (expired.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(expired.stream()
                .map(chunk -> store.delete(replicationFactor, key(chunk.baseOffset()), chunk.leaderEpoch()))
                .toArray(CompletableFuture[]::new));
    }

    private ChunkKey key(long baseOffset) {
        return new ChunkKey(id.topicId(), id.partition(), baseOffset);
    }

    @Override
    public String toString() {
        return id + "@" + leaderEpoch;
    }
}
