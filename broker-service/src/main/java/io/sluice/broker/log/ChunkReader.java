package io.sluice.broker.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.ListOffsetsRequest;

import io.sluice.protocol.record.BatchHeaders;
import io.sluice.protocol.record.BatchRecords;

/**
 * Reads a partition's committed chunks for Fetch, ListOffsets and OffsetForLeaderEpoch: whole batches below the bounds
 * of the read, from the leader's recent chunks or else from the store. It takes no lock: the chunk index, the recent
 * chunks and the aborted transactions are safe to read while the log changes them, and each read is given its bounds.
 */
final class ChunkReader {

    /** Chunks one read may gather, so a catch-up read of many small chunks still fills a fetch. */
    private static final int MAX_CHUNKS_PER_READ = 64;

    private final int leaderEpoch;
    private final ChunkIndex index;
    private final RecentChunks recent;
    private final TransactionIndex transactions;
    private final StoredChunks stored;

    ChunkReader(int leaderEpoch, ChunkIndex index, RecentChunks recent, TransactionIndex transactions,
            StoredChunks stored) {
        this.leaderEpoch = leaderEpoch;
        this.index = index;
        this.recent = recent;
        this.transactions = transactions;
        this.stored = stored;
    }

    /** {@link PartitionLog#read}, within the log's {@code bounds} at the time of the read. */
    CompletableFuture<ReadResult> read(long offset, int maxBytes, IsolationLevel isolation, LogBounds bounds) {
        long hw = bounds.highWatermark();
        long lso = bounds.lastStableOffset();
        long start = bounds.logStartOffset();
        boolean readCommitted = isolation == IsolationLevel.READ_COMMITTED;
        long limit = bounds.readLimit(readCommitted);
        if (offset >= limit && offset <= hw) {
            return CompletableFuture.completedFuture(ReadResult.empty(hw, lso, start, readCommitted));
        }
        ChunkInfo chunk = offset < start || offset > hw ? null : index.chunkOf(offset);
        if (chunk == null) {
            return CompletableFuture.completedFuture(ReadResult.failed(Errors.OFFSET_OUT_OF_RANGE));
        }
        if (maxBytes <= 0) {
            return CompletableFuture.completedFuture(ReadResult.empty(hw, lso, start, readCommitted));
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
            if (!tookTheRest || left <= 0 || next == null || chunk.nextOffset() >= limit
                    || slices.size() >= MAX_CHUNKS_PER_READ) {
                return CompletableFuture.completedFuture(slices);
            }
            // From where this chunk ended: the next may be a cleaned chunk that began before it, put in its place since.
            return collect(next, chunk.nextOffset(), left, limit, slices);
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
        while (pos < chunk.length && BatchHeaders.lastOffset(b, pos) < offset) {
            pos += BatchHeaders.size(b, pos);
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
        while (pos < chunk.length && BatchHeaders.baseOffset(b, pos) < limit) {
            int size = BatchHeaders.size(b, pos);
            if ((pos > from || !firstOfRead) && pos - from + size > maxBytes) {
                break;
            }
            next = BatchHeaders.lastOffset(b, pos) + 1;
            pos += size;
        }
        return new Slice(ByteBuffer.wrap(chunk, from, pos - from).slice(), next);
    }

    /** The chunk's bytes, from the recent chunks or else from the store; null if they are missing. */
    CompletableFuture<byte[]> chunkBytes(ChunkInfo chunk) {
        byte[] cached = recent.get(chunk);
        return cached != null ? CompletableFuture.completedFuture(cached) : stored.read(chunk);
    }

    /**
     * {@link PartitionLog#offsetForTimestamp}, within the log's {@code bounds} at the time of the search, answered as a
     * Kafka broker without tiered storage answers.
     */
    CompletableFuture<OffsetAndTimestamp> offsetForTimestamp(long timestamp, IsolationLevel isolation,
            LogBounds bounds) {
        long limit = bounds.readLimit(isolation == IsolationLevel.READ_COMMITTED);
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            return CompletableFuture.completedFuture(new OffsetAndTimestamp(limit, -1, leaderEpoch));
        }
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            // Every offset is local: the earliest local offset is the log start, in the epoch of its chunk.
            ChunkInfo first = index.first();
            return CompletableFuture.completedFuture(new OffsetAndTimestamp(bounds.logStartOffset(), -1,
                    first == null ? leaderEpoch : first.leaderEpoch()));
        }
        if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
                || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
            // Nothing is tiered: Kafka answers -1 for both.
            return CompletableFuture.completedFuture(OffsetAndTimestamp.NONE);
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            ChunkInfo chunk = index.newestTimestamp();
            if (chunk == null) {
                return CompletableFuture.completedFuture(OffsetAndTimestamp.NONE);
            }
            return chunkBytes(chunk).thenApply(bytes -> found(
                    bytes == null ? null : BatchRecords.maxTimestamp(ByteBuffer.wrap(bytes)), limit));
        }
        // Any other timestamp, negative ones too, is searched for, as Kafka does.
        ChunkInfo chunk = index.firstReaching(timestamp, bounds.logStartOffset());
        if (chunk == null) {
            return CompletableFuture.completedFuture(OffsetAndTimestamp.NONE);
        }
        return chunkBytes(chunk).thenApply(bytes -> found(bytes == null ? null
                : BatchRecords.firstAtOrAfter(ByteBuffer.wrap(bytes), timestamp, bounds.logStartOffset()), limit));
    }

    /** A record found, if a read at the same isolation could reach it. */
    private static OffsetAndTimestamp found(BatchRecords.Found found, long limit) {
        return found == null || found.offset() >= limit ? OffsetAndTimestamp.NONE
                : new OffsetAndTimestamp(found.offset(), found.timestamp(), Math.max(-1, found.leaderEpoch()));
    }

    /**
     * {@link PartitionLog#endOffsetForEpoch}: the current epoch ends at the high watermark; an undefined (-1) or future
     * epoch has no end, as in Kafka.
     */
    EpochEnd endOffsetForEpoch(int epoch, long highWatermark) {
        if (epoch > leaderEpoch || epoch == RecordBatch.NO_PARTITION_LEADER_EPOCH) {
            return new EpochEnd(-1, -1);
        }
        ChunkInfo after = index.firstAfterEpoch(epoch);
        return after == null || epoch == leaderEpoch
                ? new EpochEnd(epoch, highWatermark)
                : new EpochEnd(epoch, after.baseOffset());
    }
}
