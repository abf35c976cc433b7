package io.sluice.gateway.routing;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.sluice.gateway.metadata.MetadataView;
import io.sluice.protocol.contract.CoordinatorContract;
import io.sluice.protocol.contract.GatewayContract;
import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.FetchMemory;
import io.sluice.protocol.net.KafkaChannel;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.ReconnectingChannel;
import io.sluice.protocol.net.RequestLimits;
import io.vertx.core.Vertx;

/**
 * The gateway's data router on a loopback Kafka listener, in front of stand-in brokers and a stand-in coordinator:
 * real Kafka-protocol servers whose answers the test writes. The gateway's metadata view is never polled on a timer
 * here, so it changes only when a request finds it stale. Registered as a test's extension, it stops after the test.
 */
final class StandInCluster implements AfterEachCallback {

    static final String HOST = "127.0.0.1";
    /** The topics most tests route: orders' three partitions led by brokers 1, 2 and 1, audit's one by broker 2. */
    static final Topic ORDERS = Topic.of("orders", 1, 2, 1);
    static final Topic AUDIT = Topic.of("audit", 2);
    private static final Duration NO_POLLING = Duration.ofHours(1);

    /** A topic as the stand-in coordinator describes it: partition i is led by {@code leaders[i]}, at an epoch. */
    record Topic(String name, Uuid id, int epoch, int... leaders) {
        static Topic of(String name, int... leaders) {
            return new Topic(name, Uuid.randomUuid(), 0, leaders);
        }

        /** The same topic after a leader election: new leaders, the next epoch. */
        Topic ledBy(int... newLeaders) {
            return new Topic(name, id, epoch + 1, newLeaders);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final Map<Integer, StandInBroker> brokers = new TreeMap<>();
    private final KafkaServer coordinator;
    private final AtomicInteger viewRequests = new AtomicInteger();
    private volatile MetadataResponseData description = new MetadataResponseData();
    private MetadataView view;
    private KafkaServer gateway;
    private KafkaChannel client;
    private Predicate<String> allowedTopics;

    /** Starts the stand-in coordinator and a stand-in broker for each id; the gateway starts with {@link #start}. */
    StandInCluster(int... brokerIds) {
        for (int id : brokerIds) {
            brokers.put(id, new StandInBroker(vertx, id));
        }
        coordinator = new KafkaServer("coordinator", CoordinatorContract.APIS, (request, connection) -> {
            viewRequests.incrementAndGet();
            return CompletableFuture.completedFuture(description.duplicate());
        }, new RequestLimits(1024 * 1024, 64L << 20));
        coordinator.listen(vertx, HOST, 0).toCompletionStage().toCompletableFuture().join();
    }

    StandInBroker broker(int id) {
        return brokers.get(id);
    }

    /**
     * What the coordinator says from now on: every stand-in broker alive but those named dead, and these topics. The
     * gateway learns it at its start or when it refreshes its view.
     */
    StandInCluster describe(List<Integer> dead, Topic... topics) {
        MetadataResponseData metadata = new MetadataResponseData().setClusterId("stand-in");
        brokers.values().stream().filter(b -> !dead.contains(b.id())).forEach(b -> metadata.brokers()
                .add(new MetadataResponseBroker().setNodeId(b.id()).setHost(HOST).setPort(b.port())));
        for (Topic topic : topics) {
            MetadataResponseTopic described = new MetadataResponseTopic().setName(topic.name()).setTopicId(topic.id());
            for (int i = 0; i < topic.leaders().length; i++) {
                List<Integer> replicas = List.of(topic.leaders()[i]);
                described.partitions().add(new MetadataResponsePartition().setPartitionIndex(i)
                        .setLeaderId(topic.leaders()[i]).setLeaderEpoch(topic.epoch())
                        .setReplicaNodes(new ArrayList<>(replicas)).setIsrNodes(new ArrayList<>(replicas)));
            }
            metadata.topics().add(described);
        }
        description = metadata;
        return this;
    }

    StandInCluster describe(Topic... topics) {
        return describe(List.of(), topics);
    }

    /** Starts the gateway with only these topics' partitions served, as ACLs would have it. */
    StandInCluster start(Predicate<String> allowedTopics) {
        this.allowedTopics = allowedTopics;
        return start();
    }

    /**
     * What the gateway's fetches may gather at once: as much as Kafka's largest fetch, unless a test takes some; two
     * bytes (one per leader) when nothing is free.
     */
    final FetchMemory fetchMemory = new FetchMemory(FetchMemory.FETCH_MAX_BYTES, 2);

    /** Starts the gateway's view, once it has the coordinator's description, and the gateway's listener. */
    StandInCluster start() {
        view = new MetadataView(vertx,
                new ReconnectingChannel(vertx, "gateway", List.of(HOST + ":" + coordinator.port())), NO_POLLING);
        view.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(view::loaded);
        DataRouter router = new DataRouter(vertx, view, ChannelLogin.NONE, fetchMemory);
        gateway = new KafkaServer("gateway", GatewayContract.APIS,
                (request, connection) -> router.route(request, connection, allowedTopics),
                new RequestLimits(1024 * 1024, 64L << 20));
        gateway.listen(vertx, HOST, 0).toCompletionStage().toCompletableFuture().join();
        client = KafkaChannel.connect(vertx, "test-client", HOST, gateway.port()).toCompletionStage()
                .toCompletableFuture().join();
        return this;
    }

    /** The requests the gateway makes on its own account (for HTTP clients), on the same view. */
    LeaderRequests leaderRequests() {
        return new LeaderRequests(vertx, view, ChannelLogin.NONE, 4);
    }

    /** The leader of a partition in the gateway's view; -1 while the view does not know the topic. */
    int leaderInView(String topic, int partition) {
        ClusterView.TopicView known = view.current().topic(topic);
        return known == null ? -1 : known.partition(partition).leader();
    }

    /** How many times the gateway has asked the coordinator for the cluster view. */
    int viewRequests() {
        return viewRequests.get();
    }

    /** Sends a request to the gateway as a client; the answer comes back in the client's order. */
    CompletableFuture<ApiMessage> sendAsync(ApiMessage request, int version) {
        return client.send(request, (short) version);
    }

    /** Sends {@code request} with {@code body} as its encoded body, bytes the test made by hand. */
    <R extends ApiMessage> R sendEncoded(ApiMessage request, ByteBuffer body, int version) throws Exception {
        return (R) client.send(request, body, (short) version, true).get(10, TimeUnit.SECONDS);
    }

    /** Sends a request that is answered by nobody (acks=0), once it is written. */
    void sendWithoutAnswer(ApiMessage request, int version) throws Exception {
        client.send(request, (short) version, false).get(10, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    <R extends ApiMessage> R send(ApiMessage request, int version) throws Exception {
        return (R) sendAsync(request, version).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (view != null) {
            view.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
