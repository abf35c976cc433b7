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
import io.sluice.broker.log.PartitionLog;
import io.sluice.broker.log.ReadResult;
import io.sluice.protocol.record.BatchRecords;
import io.vertx.core.Vertx;

/**
 * Fetch: reads whole batches from each partition's log, below the high watermark or, for read_committed, below the
 * last stable offset. Without {@code minBytes} of data it waits, up to {@code maxWaitMs}, for the next commit to any
 * of the partitions (the only moment either bound moves), then reads again. No incremental fetch sessions: every
 * response answers every requested partition, with session id 0. An isolation level that is neither 0 nor 1 is
 * answered INVALID_REQUEST, at the top and for every partition.
 */
final class FetchHandler extends PartitionRequestHandler<FetchRequestData> {

    /** Kafka's default fetch.max.bytes: what one response carries at most, whatever the request asks. */
    static final int FETCH_MAX_BYTES = 57_671_680;

    private final Vertx vertx;

    FetchHandler(LeaderLookup lookup, Vertx vertx) {
        super(lookup);
        this.vertx = vertx;
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
        read(request, wanted).whenComplete((reads, error) -> {
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
            AtomicBoolean fired = new AtomicBoolean();
            Runnable again = () -> {
                if (fired.compareAndSet(false, true)) {
                    attempt(request, wanted, deadline, response);
                }
            };
            long timer = vertx.setTimer(remaining, t -> again.run());
            Runnable onCommit = () -> {
                vertx.cancelTimer(timer);
                again.run();
            };
            for (Wanted w : wanted) {
                w.found().join().log().onNextCommit(onCommit);
            }
        });
    }

    private CompletableFuture<List<ReadResult>> read(FetchRequestData request, List<Wanted> wanted) {
        List<CompletableFuture<ReadResult>> reads = new ArrayList<>();
        int budget = request.maxBytes() <= 0 ? FETCH_MAX_BYTES : Math.min(request.maxBytes(), FETCH_MAX_BYTES);
        IsolationLevel isolation = IsolationLevel.forId(request.isolationLevel());
        for (Wanted w : wanted) {
            LeaderLookup.Found found = w.found().join();
            PartitionLog log = found.log();
            if (log == null) {
                reads.add(CompletableFuture.completedFuture(ReadResult.failed(found.error())));
                continue;
            }
            int partitionMax = Math.min(w.partition().partitionMaxBytes(), budget);
            reads.add(log.read(w.partition().fetchOffset(), Math.max(1, partitionMax), isolation));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(v -> trimToBudget(reads.stream().map(CompletableFuture::join).toList(), budget));
    }

    /** Keeps the response within maxBytes: the first partition with data always answers, later ones if they fit. */
    private static List<ReadResult> trimToBudget(List<ReadResult> reads, int budget) {
        List<ReadResult> trimmed = new ArrayList<>(reads.size());
        long used = 0;
        for (ReadResult read : reads) {
            if (read.sizeInBytes() > 0 && used > 0 && used + read.sizeInBytes() > budget) {
                trimmed.add(read.withoutRecords());
                continue;
            }
            used += read.sizeInBytes();
            trimmed.add(read);
        }
        return trimmed;
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
