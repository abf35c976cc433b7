package io.sluice.coordinator.txn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.coordinator.concurrent.SerialWorker;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.group.GroupCoordinator;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.coordinator.store.JsonDocuments;
import io.sluice.coordinator.store.StateStore;
import io.sluice.protocol.net.ChannelLogin;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Kafka's transaction coordinator: transactional ids with their producer id and epoch, the partitions and groups of
 * the open transaction, and its end. A decided end (PrepareCommit or PrepareAbort) is persisted before any marker is
 * written, so a restarted coordinator finishes it; the client hears back once every partition holds its marker and
 * the group offsets took effect. Transactions open past their timeout are aborted and their producer fenced.
 */
public final class TransactionCoordinator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TransactionCoordinator.class);
    /** Where transactional ids are kept in the state store: one entry each, under this prefix. */
    static final String TXN = "txn/";
    private static final long TIMEOUT_CHECK_MS = 1_000;

    private final StateStore store;
    private final JsonDocuments documents;
    private final ClusterState state;
    private final GroupCoordinator groups;
    private final int maxTimeoutMs;
    private final SerialWorker thread = new SerialWorker("coordinator-transactions");
    private final MarkerWriter markers;
    /** Changed on the transaction thread only; concurrent so the metrics gauge may count it from another. */
    private final Map<String, Transaction> transactions = new ConcurrentHashMap<>();
    /** The end being written for a transactional id, for retried EndTxn requests to wait on. */
    private final Map<String, CompletableFuture<Void>> ending = new HashMap<>();

    public TransactionCoordinator(StateStore store, ObjectMapper json, ClusterState state, GroupCoordinator groups,
            Vertx vertx, ChannelLogin markerLogin, int maxTimeoutMs) {
        this.store = store;
        this.documents = new JsonDocuments(json);
        this.state = state;
        this.groups = groups;
        this.maxTimeoutMs = maxTimeoutMs;
        this.markers = new MarkerWriter(vertx, markerLogin, state, thread);
    }

    /** Loads the transactional ids; a transaction whose end was decided before a restart is finished now. */
    public void start() {
        thread.submit(() -> {
            for (Transaction.Record record : documents.readAll(store.withPrefix(TXN).values(),
                    Transaction.Record.class)) {
                Transaction t = Transaction.of(record);
                transactions.put(t.transactionalId, t);
                if (t.state.preparing()) {
                    LOG.infof("finishing the %s of transaction %s after a restart", t.state, t.transactionalId);
                    complete(t);
                }
            }
            LOG.infof("%d transactional ids loaded", transactions.size());
            return CompletableFuture.completedFuture(null);
        }).join();
        thread.every(TIMEOUT_CHECK_MS, this::abortExpired);
    }

    public int transactionCount() {
        return transactions.size();
    }

    // ---- ListTransactions and DescribeTransactions (Admin, kafka-transactions.sh)

    /**
     * The transactional ids in the states, of the producer ids and (v1) open longer than the duration asked for; state
     * names Kafka does not know are answered back as unknown.
     */
    public CompletableFuture<ListTransactionsResponseData> list(ListTransactionsRequestData request) {
        return thread.submit(() -> {
            ListTransactionsResponseData response = new ListTransactionsResponseData();
            Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
            for (String name : request.stateFilters()) {
                Optional<TransactionState> state = Stream.of(TransactionState.values())
                        .filter(s -> s.kafkaName.equals(name)).findFirst();
                state.ifPresent(states::add);
                if (state.isEmpty() && !TransactionState.NEVER_HELD.contains(name)) {
                    response.unknownStateFilters().add(name);
                }
            }
            Set<Long> producerIds = Set.copyOf(request.producerIdFilters());
            long now = System.currentTimeMillis();
            transactions.values().stream()
                    .filter(t -> request.stateFilters().isEmpty() || states.contains(t.state))
                    .filter(t -> producerIds.isEmpty() || producerIds.contains(t.producerId))
                    .filter(t -> request.durationFilter() < 0 || now - t.startedAtMs > request.durationFilter())
                    .sorted(Comparator.comparing(t -> t.transactionalId))
                    .forEach(t -> response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                            .setTransactionalId(t.transactionalId)
                            .setProducerId(t.producerId)
                            .setTransactionState(t.state.kafkaName)));
            return done(response);
        });
    }

    /** Each transactional id's state, producer, timeout and open transaction; TRANSACTIONAL_ID_NOT_FOUND if unknown. */
    public CompletableFuture<DescribeTransactionsResponseData> describe(DescribeTransactionsRequestData request) {
        return thread.submit(() -> {
            DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
            for (String id : request.transactionalIds()) {
                DescribeTransactionsResponseData.TransactionState described = new DescribeTransactionsResponseData.TransactionState()
                        .setTransactionalId(id);
                response.transactionStates().add(described);
                Transaction t = transactions.get(id);
                if (t == null) {
                    described.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code()).setProducerId(-1)
                            .setProducerEpoch((short) -1).setTransactionStartTimeMs(-1);
                    continue;
                }
                described.setTransactionState(t.state.kafkaName)
                        .setTransactionTimeoutMs(t.timeoutMs)
                        .setTransactionStartTimeMs(t.state == TransactionState.EMPTY ? -1 : t.startedAtMs)
                        .setProducerId(t.producerId)
                        .setProducerEpoch(t.producerEpoch);
                Map<String, List<Integer>> byTopic = new TreeMap<>();
                t.partitions.forEach(p -> byTopic.computeIfAbsent(p.topic(), k -> new ArrayList<>()).add(p.partition()));
                byTopic.forEach((topic, partitions) -> described.topics()
                        .add(new DescribeTransactionsResponseData.TopicData().setTopic(topic).setPartitions(partitions)));
            }
            return done(response);
        });
    }

    // ---- InitProducerId

    public CompletableFuture<InitProducerIdResponseData> initProducerId(InitProducerIdRequestData request) {
        return thread.submit(() -> {
            String id = request.transactionalId();
            if (id.isEmpty()) {
                return done(initError(Errors.INVALID_REQUEST));
            }
            if (request.transactionTimeoutMs() <= 0 || request.transactionTimeoutMs() > maxTimeoutMs) {
                return done(initError(Errors.INVALID_TRANSACTION_TIMEOUT));
            }
            Transaction t = transactions.get(id);
            if (t == null) {
                t = new Transaction(id, state.nextProducerId().join(), (short) 0, request.transactionTimeoutMs(),
                        TransactionState.EMPTY);
                transactions.put(id, t);
                save(t);
                LOG.infof("transactional id %s: producer id %d", id, t.producerId);
                return done(initAnswer(t));
            }
            if (request.producerId() >= 0
                    && (request.producerId() != t.producerId || request.producerEpoch() != t.producerEpoch)) {
                return done(initError(Errors.PRODUCER_FENCED));
            }
            if (t.state.preparing()) {
                return done(initError(Errors.CONCURRENT_TRANSACTIONS));
            }
            Transaction txn = t;
            txn.timeoutMs = request.transactionTimeoutMs();
            if (txn.state == TransactionState.ONGOING) {
                // a new incarnation of the producer: its predecessor's transaction is aborted, the predecessor fenced
                return fenceAndAbort(txn, "a new producer initialized").thenApplyAsync(v -> {
                    if (epochExhausted(txn)) {
                        rotateProducerId(txn);
                        save(txn);
                    }
                    return initAnswer(txn);
                }, thread);
            }
            if (epochExhausted(txn)) {
                rotateProducerId(txn);
            } else {
                txn.producerEpoch++;
            }
            txn.state = TransactionState.EMPTY;
            save(txn);
            return done(initAnswer(txn));
        });
    }

    /** No higher epoch is left to fence this producer with (Kafka keeps the last one for its own aborts). */
    private static boolean epochExhausted(Transaction t) {
        return t.producerEpoch >= Short.MAX_VALUE - 1;
    }

    /** A producer whose epochs ran out goes on under a new producer id at epoch 0, as Kafka rotates it. */
    private void rotateProducerId(Transaction t) {
        long previous = t.producerId;
        t.producerId = state.nextProducerId().join();
        t.producerEpoch = 0;
        LOG.infof("transactional id %s ran out of epochs under producer id %d: producer id %d now",
                t.transactionalId, previous, t.producerId);
    }

    private static InitProducerIdResponseData initAnswer(Transaction t) {
        return new InitProducerIdResponseData().setProducerId(t.producerId).setProducerEpoch(t.producerEpoch);
    }

    private static InitProducerIdResponseData initError(Errors error) {
        return new InitProducerIdResponseData().setErrorCode(error.code()).setProducerId(-1)
                .setProducerEpoch((short) -1);
    }

    // ---- AddPartitionsToTxn, AddOffsetsToTxn

    public CompletableFuture<AddPartitionsToTxnResponseData> addPartitions(AddPartitionsToTxnRequestData request) {
        return thread.submit(() -> {
            Transaction t = transactions.get(request.v3AndBelowTransactionalId());
            Errors error = check(t, request.v3AndBelowProducerId(), request.v3AndBelowProducerEpoch());
            List<TxnPartition> wanted = new ArrayList<>();
            Map<TxnPartition, Errors> unknown = new HashMap<>();
            request.v3AndBelowTopics().forEach(topic -> topic.partitions().forEach(p -> {
                TxnPartition tp = new TxnPartition(topic.name(), p);
                wanted.add(tp);
                Optional<TopicRecord> known = state.topic(topic.name());
                if (known.isEmpty() || p < 0 || p >= known.get().partitions().size()) {
                    unknown.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                }
            }));
            if (error == Errors.NONE && unknown.isEmpty()) {
                open(t);
                t.partitions.addAll(wanted);
                save(t);
            }
            AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
            for (TxnPartition tp : wanted) {
                Errors partitionError = error != Errors.NONE ? error
                        : unknown.isEmpty() ? Errors.NONE
                                : unknown.getOrDefault(tp, Errors.OPERATION_NOT_ATTEMPTED);
                AddPartitionsToTxnTopicResult topic = response.resultsByTopicV3AndBelow().find(tp.topic());
                if (topic == null) {
                    topic = new AddPartitionsToTxnTopicResult().setName(tp.topic());
                    response.resultsByTopicV3AndBelow().add(topic);
                }
                topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                        .setPartitionIndex(tp.partition()).setPartitionErrorCode(partitionError.code()));
            }
            return done(response);
        });
    }

    public CompletableFuture<AddOffsetsToTxnResponseData> addOffsets(AddOffsetsToTxnRequestData request) {
        return thread.submit(() -> {
            Transaction t = transactions.get(request.transactionalId());
            Errors error = check(t, request.producerId(), request.producerEpoch());
            if (error == Errors.NONE && request.groupId().isEmpty()) {
                error = Errors.INVALID_GROUP_ID;
            }
            if (error == Errors.NONE) {
                open(t);
                t.groups.add(request.groupId());
                save(t);
            }
            return done(new AddOffsetsToTxnResponseData().setErrorCode(error.code()));
        });
    }

    /** The producer may add to its transaction: known id, its producer id, its epoch, no end being written. */
    private static Errors check(Transaction t, long producerId, short epoch) {
        if (t == null || t.producerId != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch != t.producerEpoch) {
            return Errors.PRODUCER_FENCED;
        }
        return t.state.preparing() ? Errors.CONCURRENT_TRANSACTIONS : Errors.NONE;
    }

    private static void open(Transaction t) {
        if (t.state != TransactionState.ONGOING) {
            t.state = TransactionState.ONGOING;
            t.partitions.clear();
            t.groups.clear();
            t.startedAtMs = System.currentTimeMillis();
        }
    }

    // ---- EndTxn

    public CompletableFuture<EndTxnResponseData> endTxn(EndTxnRequestData request) {
        return thread.submit(() -> {
            Transaction t = transactions.get(request.transactionalId());
            if (t == null || t.producerId != request.producerId()) {
                return done(endAnswer(Errors.INVALID_PRODUCER_ID_MAPPING));
            }
            if (request.producerEpoch() != t.producerEpoch) {
                return done(endAnswer(Errors.PRODUCER_FENCED));
            }
            boolean commit = request.committed();
            switch (t.state) {
                case ONGOING -> {
                    t.state = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
                    save(t);
                    return complete(t).thenApply(v -> endAnswer(Errors.NONE));
                }
                case PREPARE_COMMIT, PREPARE_ABORT -> {
                    boolean same = (t.state == TransactionState.PREPARE_COMMIT) == commit;
                    return same ? ending.get(t.transactionalId).thenApply(v -> endAnswer(Errors.NONE))
                            : done(endAnswer(Errors.INVALID_TXN_STATE));
                }
                case COMPLETE_COMMIT -> {
                    return done(endAnswer(commit ? Errors.NONE : Errors.INVALID_TXN_STATE));
                }
                case COMPLETE_ABORT -> {
                    return done(endAnswer(commit ? Errors.INVALID_TXN_STATE : Errors.NONE));
                }
                default -> {
                    return done(endAnswer(Errors.INVALID_TXN_STATE));
                }
            }
        });
    }

    private static EndTxnResponseData endAnswer(Errors error) {
        return new EndTxnResponseData().setErrorCode(error.code());
    }

    /** Writes the decided end everywhere: markers in the partitions, then the groups' offsets, then Complete. */
    private CompletableFuture<Void> complete(Transaction t) {
        boolean commit = t.state == TransactionState.PREPARE_COMMIT;
        long producerId = t.producerId;
        List<String> groupIds = List.copyOf(t.groups);
        CompletableFuture<Void> end = markers.write(producerId, t.producerEpoch, commit, t.partitions)
                .thenCompose(v -> CompletableFuture.allOf(groupIds.stream()
                        .map(g -> groups.completeTransaction(g, producerId, commit))
                        .toArray(CompletableFuture[]::new)))
                .thenRunAsync(() -> {
                    t.state = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
                    t.partitions.clear();
                    t.groups.clear();
                    save(t);
                    ending.remove(t.transactionalId);
                    LOG.debugf("transaction %s %s", t.transactionalId, commit ? "committed" : "aborted");
                }, thread);
        ending.put(t.transactionalId, end);
        return end;
    }

    /**
     * Aborts the open transaction with a bumped epoch, so the markers fence its producer on every partition; at the
     * last epoch it aborts with that one, and the producer's next InitProducerId moves it to a new producer id.
     */
    private CompletableFuture<Void> fenceAndAbort(Transaction t, String why) {
        LOG.infof("aborting transaction %s of producer %d: %s", t.transactionalId, t.producerId, why);
        if (!epochExhausted(t)) {
            t.producerEpoch++;
        }
        t.state = TransactionState.PREPARE_ABORT;
        save(t);
        return complete(t);
    }

    private void abortExpired() {
        long now = System.currentTimeMillis();
        for (Transaction t : List.copyOf(transactions.values())) {
            if (t.state == TransactionState.ONGOING && now - t.startedAtMs > t.timeoutMs) {
                try {
                    fenceAndAbort(t, "open longer than its timeout of " + t.timeoutMs + " ms");
                } catch (RuntimeException e) {
                    LOG.errorf(e, "cannot abort transaction %s", t.transactionalId);
                }
            }
        }
    }

    // ---- state

    private void save(Transaction t) {
        store.put(TXN + t.transactionalId, documents.write(t.record()));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    @Override
    public void close() {
        thread.close();
        markers.close();
    }
}
