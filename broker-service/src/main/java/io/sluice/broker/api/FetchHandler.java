package io.sluice.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import io.sluice.broker.log.AbortedTransaction;
import io.sluice.broker.log.ReadResult;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.record.BatchRecords;
import io.vertx.core.Vertx;

/**
 * Fetch: reads whole batches from each partition's log, below the high watermark or, for read_committed, below the
 * last stable offset. Without {@code minBytes} of data it waits, up to {@code maxWaitMs}, for the next commit to any
 * of the partitions since they were read (the only moment either bound moves), then reads again. The partitions are
 * read one after the other within what is left of the fetch's bytes, themselves taken from the broker's
 * {@link FetchMemory}. No incremental fetch sessions: every response answers every requested partition, with session
 * id 0. An isolation level that is neither 0 nor 1 is answered INVALID_REQUEST, at the top and for every partition.
 */
final class FetchHandler extends PartitionRequestHandler<FetchRequestData> {

    private final Vertx vertx;
    private final FetchMemory memory;

    FetchHandler(LeaderLookup lookup, Vertx vertx, FetchMemory memory) {
        super(lookup);
        this.vertx = vertx;
        this.memory = memory;
    }

    private record Wanted(FetchRequestData.FetchTopic topic, FetchRequestData.FetchPartition partition,
            CompletableFuture<LeaderLookup.Found> found) {
    }

    @Override
    CompletableFuture<ApiMessage> handle(FetchRequestData request, short version) {
        if (request.isolationLevel() != 0 && request.isolationLevel() != 1) {
            return CompletableFuture.completedFuture(invalid(request));
        }
        List<Wanted> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                wanted.add(new Wanted(topic, partition,
                        lookup.find(topic.topic(), topic.topicId(), partition.partition(), partition.currentLeaderEpoch())));
            }
        }
        long deadline = System.currentTimeMillis() + Math.max(0, request.maxWaitMs());
        CompletableFuture<ApiMessage> response = new CompletableFuture<>();
        CompletableFuture.allOf(wanted.stream().map(Wanted::found).toArray(CompletableFuture[]::new))
                .whenComplete((v, error) -> {
                    if (error != null) {
                        response.completeExceptionally(error);
                    } else {
                        attempt(request, wanted, deadline, response);
                    }
                });
        return response;
    }

    private static FetchResponseData invalid(FetchRequestData request) {
        List<Wanted> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                wanted.add(new Wanted(topic, partition, null));
            }
        }
        return build(wanted, wanted.stream().map(w -> ReadResult.failed(Errors.INVALID_REQUEST)).toList())
                .setErrorCode(Errors.INVALID_REQUEST.code());
    }

    private void attempt(FetchRequestData request, List<Wanted> wanted, long deadline,
            CompletableFuture<ApiMessage> response) {
        int granted = memory.takeFor(request.maxBytes());
        read(request, wanted, granted).whenComplete((reads, error) -> {
            // The grant bounds what is read at once; the answer's bytes are on their way out, encoded next.
            memory.release(granted);
            if (error != null) {
                response.completeExceptionally(error);
                return;
            }
            int bytes = 0;
            boolean anyError = false;
            for (ReadResult read : reads) {
                bytes += read.sizeInBytes();
                anyError |= read.error() != Errors.NONE;
            }
            long remaining = deadline - System.currentTimeMillis();
            if (bytes >= Math.max(1, request.minBytes()) || anyError || remaining <= 0) {
                response.complete(build(wanted, reads));
                return;
            }
            // The first commit to any of the partitions since they were read, or the deadline, reads them again.
            AtomicBoolean fired = new AtomicBoolean();
            List<Runnable> listening = new ArrayList<>();
            Runnable again = () -> {
                if (fired.compareAndSet(false, true)) {
                    forget(listening);
                    attempt(request, wanted, deadline, response);
                }
            };
            long timer = vertx.setTimer(remaining, t -> again.run());
            Runnable onCommit = () -> {
                vertx.cancelTimer(timer);
                again.run();
            };
            for (int i = 0; i < wanted.size() && !fired.get(); i++) {
                Runnable forgetting = wanted.get(i).found().join().log()
                        .onCommitAfter(reads.get(i).highWatermark(), onCommit);
                synchronized (listening) {
                    listening.add(forgetting);
                }
            }
            if (fired.get()) {
                forget(listening);
            }
        });
    }

    private static void forget(List<Runnable> listening) {
        List<Runnable> forgetting;
        synchronized (listening) {
            forgetting = List.copyOf(listening);
            listening.clear();
        }
        forgetting.forEach(Runnable::run);
    }

    /**
     * Reads the partitions in request order within {@code budget} bytes: the first with data always answers (with at
     * least its first batch), later ones with what is left, if it fits; once nothing is left, the others answer their
     * bounds only. One at a time, so that together they never read more than the budget.
     */
    private CompletableFuture<List<ReadResult>> read(FetchRequestData request, List<Wanted> wanted, int budget) {
        return readFrom(0, wanted, budget, 0, IsolationLevel.forId(request.isolationLevel()),
                new ArrayList<>(wanted.size()));
    }

    private CompletableFuture<List<ReadResult>> readFrom(int first, List<Wanted> wanted, int budget, int used,
            IsolationLevel isolation, List<ReadResult> reads) {
        for (int i = first; i < wanted.size(); i++) {
            Wanted w = wanted.get(i);
            LeaderLookup.Found found = w.found().join();
            if (found.log() == null) {
                reads.add(ReadResult.failed(found.error()));
                continue;
            }
            int max = used >= budget ? 0 : Math.min(Math.max(1, w.partition().partitionMaxBytes()), budget - used);
            CompletableFuture<ReadResult> read = found.log().read(w.partition().fetchOffset(), max, isolation);
            if (!read.isDone()) {
                int next = i + 1;
                int usedBefore = used;
                return read.thenCompose(r -> readFrom(next, wanted, budget,
                        usedBefore + kept(r, budget, usedBefore, reads), isolation, reads));
            }
            used += kept(read.join(), budget, used, reads);
        }
        return CompletableFuture.completedFuture(reads);
    }

    /** Adds a partition's read, without its records if they overshoot what earlier partitions left; its bytes. */
    private static int kept(ReadResult read, int budget, int used, List<ReadResult> reads) {
        ReadResult kept = used > 0 && used + read.sizeInBytes() > budget ? read.withoutRecords() : read;
        reads.add(kept);
        return kept.sizeInBytes();
    }

    private static List<FetchResponseData.AbortedTransaction> aborted(List<AbortedTransaction> transactions) {
        return transactions == null ? null
                : transactions.stream()
                        .map(t -> new FetchResponseData.AbortedTransaction()
                                .setProducerId(t.producerId())
                                .setFirstOffset(t.firstOffset()))
                        .toList();
    }

    private static FetchResponseData build(List<Wanted> wanted, List<ReadResult> reads) {
        FetchResponseData response = new FetchResponseData().setSessionId(0).setErrorCode(Errors.NONE.code());
        FetchResponseData.FetchableTopicResponse current = null;
        FetchRequestData.FetchTopic currentTopic = null;
        for (int i = 0; i < wanted.size(); i++) {
            Wanted w = wanted.get(i);
            if (currentTopic != w.topic()) {
                currentTopic = w.topic();
                current = new FetchResponseData.FetchableTopicResponse()
                        .setTopic(w.topic().topic())
                        .setTopicId(w.topic().topicId());
                response.responses().add(current);
            }
            ReadResult read = reads.get(i);
            current.partitions().add(new FetchResponseData.PartitionData()
                    .setPartitionIndex(w.partition().partition())
                    .setErrorCode(read.error().code())
                    .setHighWatermark(read.highWatermark())
                    .setLastStableOffset(read.lastStableOffset())
                    .setLogStartOffset(read.logStartOffset())
                    .setAbortedTransactions(aborted(read.abortedTransactions()))
                    .setPreferredReadReplica(-1)
                    .setRecords(BatchRecords.records(read.records())));
        }
        return response;
    }
}
