package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
 * in flight), and only then do the high watermark and the produce answers move. Reads serve committed chunks only.
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
    private final BatchIndex index = new BatchIndex();
    private final RecentChunks recent;
    private final ProducerStateTable producers = new ProducerStateTable();
    private volatile LogSettings settings;
    private volatile long highWatermark;
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

    /** Takes leadership: rebuilds the index and producer state from the store. */
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
        return replay(tail, 0, true).thenRun(this::resetBounds);
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
            if (producerId >= 0 && RecordBatches.baseSequence(b, pos) >= 0) {
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
        logStartOffset = first == null ? nextOffset : first.baseOffset();
        LOG.infof("%s: leading at epoch %d, offsets %d..%d in %d chunks", id, leaderEpoch, logStartOffset,
                highWatermark, index.view().size());
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
     * stamped in place with offsets and epoch. Completes when the batch is durable on every owner.
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
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        ChunkWrite write;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(AppendResult.failed(Errors.NOT_LEADER_OR_FOLLOWER,
                        id + " is no longer led here"));
            }
            long producerId = RecordBatches.producerId(records, start);
            boolean idempotent = producerId >= 0 && RecordBatches.baseSequence(records, start) >= 0;
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
                producers.record(producerId, epoch, firstSeq, lastSeq, result.thenApply(AppendResult::baseOffset));
            }
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
            write = writing ? null : startWrite();
        }
        if (write != null) {
            launch(write);
        }
        return result;
    }

    private record ChunkWrite(ChunkInfo info, byte[] bytes, List<PendingAppend> appends) {
    }

    /** Under the lock: seals the open chunk for writing. */
    private ChunkWrite startWrite() {
        writing = true;
        OpenChunk sealed = open;
        open = new OpenChunk();
        return new ChunkWrite(sealed.info(leaderEpoch), sealed.bytes(), sealed.appends());
    }

    private void launch(ChunkWrite write) {
        store.write(replicationFactor, key(write.info().baseOffset()), leaderEpoch, write.bytes(),
                write.info().encode())
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
            highWatermark = write.info().nextOffset();
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

    /** Whole batches from {@code offset}, at most {@code maxBytes} unless the first batch alone is larger. */
    public CompletableFuture<ReadResult> read(long offset, int maxBytes) {
        long hw = highWatermark;
        long start = logStartOffset;
        if (closed) {
            return CompletableFuture.completedFuture(ReadResult.failed(Errors.NOT_LEADER_OR_FOLLOWER));
        }
        if (offset == hw) {
            return CompletableFuture.completedFuture(ReadResult.empty(hw, start));
        }
        ChunkInfo chunk = offset < start || offset > hw ? null : index.chunkOf(offset);
        if (chunk == null) {
            return CompletableFuture.completedFuture(ReadResult.failed(Errors.OFFSET_OUT_OF_RANGE));
        }
        return collect(chunk, offset, maxBytes, hw, new ArrayList<>()).thenApply(slices -> slices == null
                ? ReadResult.failed(Errors.OFFSET_OUT_OF_RANGE)
                : new ReadResult(Errors.NONE, concat(slices), hw, start));
    }

    /** Gathers slices of consecutive chunks below the high watermark until the byte budget is spent. */
    private CompletableFuture<List<ByteBuffer>> collect(ChunkInfo chunk, long offset, int budget, long hw,
            List<ByteBuffer> slices) {
        return chunkBytes(chunk).thenCompose(bytes -> {
            if (bytes == null) {
                return CompletableFuture.completedFuture(slices.isEmpty() ? null : slices);
            }
            int from = firstBatchAt(bytes, offset);
            int to = endWithin(bytes, from, budget, slices.isEmpty());
            if (to > from) {
                slices.add(ByteBuffer.wrap(bytes, from, to - from).slice());
            }
            int left = budget - (to - from);
            ChunkInfo next = index.chunkOf(chunk.nextOffset());
            boolean tookTheRest = to == bytes.length;
            if (!tookTheRest || left <= 0 || next == null || next.baseOffset() >= hw
                    || slices.size() >= MAX_CHUNKS_PER_READ) {
                return CompletableFuture.completedFuture(slices);
            }
            return collect(next, next.baseOffset(), left, hw, slices);
        });
    }

    private static ByteBuffer concat(List<ByteBuffer> slices) {
        if (slices.size() == 1) {
            return slices.get(0);
        }
        int size = slices.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer joined = ByteBuffer.allocate(size);
        slices.forEach(s -> joined.put(s.duplicate()));
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

    /** End of the whole batches from {@code from} that fit {@code maxBytes}; a read's first batch always fits. */
    private static int endWithin(byte[] chunk, int from, int maxBytes, boolean firstOfRead) {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        int pos = from;
        while (pos < chunk.length) {
            int size = RecordBatches.size(b, pos);
            if ((pos > from || !firstOfRead) && pos - from + size > maxBytes) {
                break;
            }
            pos += size;
        }
        return pos;
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

    /** ListOffsets: the special timestamps -1 latest, -2 earliest, -3 max timestamp, -4/-5 earliest local/tiered. */
    public CompletableFuture<OffsetAndTimestamp> offsetForTimestamp(long timestamp) {
        if (timestamp == -1) {
            return CompletableFuture.completedFuture(new OffsetAndTimestamp(highWatermark, -1));
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
            return found == null ? OffsetAndTimestamp.NONE : new OffsetAndTimestamp(found.offset(), found.timestamp());
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

    /** Deletes whole chunks from the head that are older than retention.ms or beyond retention.bytes. */
    public CompletableFuture<Void> enforceRetention(long now) {
        LogSettings current = settings;
        List<ChunkInfo> expired = new ArrayList<>();
        synchronized (this) {
            long excess = current.retentionBytes() < 0 ? 0 : index.totalBytes() - current.retentionBytes();
            for (ChunkInfo chunk : index.view().values()) {
                boolean tooOld = current.retentionMs() >= 0 && chunk.maxTimestamp() < now - current.retentionMs();
                if (!tooOld && excess <= 0) {
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
