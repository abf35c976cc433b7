package io.sluice.coordinator.txn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.jboss.logging.Logger;

import io.sluice.coordinator.concurrent.SerialWorker;
import io.sluice.coordinator.controller.ClusterState;
import io.sluice.coordinator.metadata.BrokerRecord;
import io.sluice.coordinator.metadata.TopicRecord;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.KafkaChannel;
import io.sluice.protocol.net.RequestDeadlines;
import io.vertx.core.Vertx;

/**
 * Writes a transaction's COMMIT or ABORT marker into every partition it touched, with WriteTxnMarkers to each
 * partition's leader. A marker must land, so partitions are retried through leader changes until each leader has
 * it; a deleted topic needs none.
 */
final class MarkerWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MarkerWriter.class);
    private static final short VERSION = 1;
    private static final long RETRY_MS = 300;

    private final Vertx vertx;
    private final ChannelLogin login;
    private final ClusterState state;
    private final SerialWorker timer;
    private final Map<Integer, CompletableFuture<KafkaChannel>> channels = new HashMap<>();

    MarkerWriter(Vertx vertx, ChannelLogin login, ClusterState state, SerialWorker timer) {
        this.vertx = vertx;
        this.login = login;
        this.state = state;
        this.timer = timer;
    }

    CompletableFuture<Void> write(long producerId, short epoch, boolean commit, Set<TxnPartition> partitions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(producerId, epoch, commit, Set.copyOf(partitions), done, 0);
        return done;
    }

    private void attempt(long producerId, short epoch, boolean commit, Set<TxnPartition> remaining,
            CompletableFuture<Void> done, int round) {
        Map<Integer, List<TxnPartition>> byLeader = new HashMap<>();
        Set<TxnPartition> retry = ConcurrentHashMap.newKeySet();
        for (TxnPartition tp : remaining) {
            Optional<TopicRecord> topic = state.topic(tp.topic());
            if (topic.isEmpty() || tp.partition() >= topic.get().partitions().size()) {
                continue;
            }
            int leader = topic.get().partitions().get(tp.partition()).leader();
            if (leader < 0 || !state.liveBrokers().contains(leader)) {
                retry.add(tp);
            } else {
                byLeader.computeIfAbsent(leader, b -> new ArrayList<>()).add(tp);
            }
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        byLeader.forEach((broker, partitions) -> sent.add(send(broker, producerId, epoch, commit, partitions)
                .handle((failed, error) -> {
                    if (error != null) {
                        LOG.debugf("markers to broker %d failed: %s", broker, error.getMessage());
                        retry.addAll(partitions);
                    } else {
                        retry.addAll(failed);
                    }
                    return null;
                })));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            if (retry.isEmpty()) {
                done.complete(null);
                return;
            }
            if (round > 0 && round % 20 == 0) {
                LOG.warnf("transaction markers of producer %d still not written to %s", producerId, retry);
            }
            timer.schedule(RETRY_MS, () -> attempt(producerId, epoch, commit, Set.copyOf(retry), done, round + 1));
        });
    }

    /** Sends one broker its partitions' marker; completes with the partitions that did not take it. */
    private CompletableFuture<List<TxnPartition>> send(int broker, long producerId, short epoch, boolean commit,
            List<TxnPartition> partitions) {
        Map<String, List<Integer>> byTopic = new HashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        WriteTxnMarkersRequestData.WritableTxnMarker marker = new WriteTxnMarkersRequestData.WritableTxnMarker()
                .setProducerId(producerId).setProducerEpoch(epoch).setTransactionResult(commit)
                .setCoordinatorEpoch(0);
        byTopic.forEach((topic, indexes) -> marker.topics()
                .add(new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(topic).setPartitionIndexes(indexes)));
        WriteTxnMarkersRequestData request = new WriteTxnMarkersRequestData().setMarkers(List.of(marker));
        return channel(broker).thenCompose(c -> c.send(request, VERSION)).thenApply(response -> {
            List<TxnPartition> failed = new ArrayList<>();
            for (WriteTxnMarkersResponseData.WritableTxnMarkerResult result : ((WriteTxnMarkersResponseData) response)
                    .markers()) {
                for (WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topic : result.topics()) {
                    for (WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult p : topic.partitions()) {
                        if (p.errorCode() != Errors.NONE.code()) {
                            failed.add(new TxnPartition(topic.name(), p.partitionIndex()));
                        }
                    }
                }
            }
            return failed;
        });
    }

    private synchronized CompletableFuture<KafkaChannel> channel(int brokerId) {
        CompletableFuture<KafkaChannel> channel = channels.get(brokerId);
        if (channel == null || channel.isCompletedExceptionally() || (channel.isDone() && !channel.join().isOpen())) {
            Optional<BrokerRecord> broker = state.broker(brokerId);
            if (broker.isEmpty()) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker " + brokerId + " unknown"));
            }
            channel = KafkaChannel.connect(vertx, "coordinator-markers", broker.get().host(), broker.get().port(),
                    RequestDeadlines.KAFKA_DEFAULT, login).toCompletionStage().toCompletableFuture();
            channels.put(brokerId, channel);
        }
        return channel;
    }

    @Override
    public synchronized void close() {
        channels.values().forEach(c -> c.thenAccept(KafkaChannel::close));
        channels.clear();
    }
}
