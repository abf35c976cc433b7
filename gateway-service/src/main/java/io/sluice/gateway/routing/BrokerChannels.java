package io.sluice.gateway.routing;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.protocol.metadata.ClusterView;
import io.sluice.protocol.net.ChannelLogin;
import io.sluice.protocol.net.KafkaChannel;
import io.sluice.protocol.net.RequestDeadlines;
import io.vertx.core.Vertx;

/**
 * The upstream connections of one client connection, one per broker. Keeping them per client connection carries the
 * client's request order through to each broker, so responses can go back in order.
 */
final class BrokerChannels implements AutoCloseable {

    private final Vertx vertx;
    private final String clientId;
    private final ChannelLogin login;
    private final Map<Integer, CompletableFuture<KafkaChannel>> channels = new HashMap<>();
    private final Set<CompletableFuture<ApiMessage>> inFlight = ConcurrentHashMap.newKeySet();
    /** The last joinable request sent to each broker, while its answer may serve a client's next fetch. */
    private final Map<Integer, Awaited> joinable = new HashMap<>();

    /**
     * How long an answer that came too late for the fetch that asked stays for the client's next one. A consumer asks
     * again within milliseconds; the bound keeps a client that went quiet from holding on to a response.
     */
    static final long HELD_ANSWER_MS = 1_000;

    /** A request sent by {@link #sendOrJoin}, and its answer, which serves later fetches until a client is given it. */
    static final class Awaited {
        private final ApiMessage request;
        private final short version;
        private final CompletableFuture<ApiMessage> answer;
        private volatile boolean given;
        /** The timer that forgets a held answer; cancelled once a client is given it, so as not to keep it alive. */
        private long forgetTimer = -1;

        private Awaited(ApiMessage request, short version, CompletableFuture<ApiMessage> answer) {
            this.request = request;
            this.version = version;
            this.answer = answer;
        }

        CompletableFuture<ApiMessage> answer() {
            return answer;
        }

        private boolean serves(ApiMessage request, short version) {
            return !given && this.version == version && sameAsk(this.request, request);
        }

        /**
         * The same request but perhaps for a fetch's byte bound, which follows the gateway's free fetch memory: an
         * answer awaited within another bound serves as well (asked again, such parts piled up on the leaders).
         */
        private static boolean sameAsk(ApiMessage awaited, ApiMessage asked) {
            if (awaited instanceof FetchRequestData fetch && asked instanceof FetchRequestData again
                    && fetch.maxBytes() != again.maxBytes()) {
                return fetch.duplicate().setMaxBytes(again.maxBytes()).equals(again);
            }
            return awaited.equals(asked);
        }
    }

    BrokerChannels(Vertx vertx, String clientId, ChannelLogin login) {
        this.vertx = vertx;
        this.clientId = clientId;
        this.login = login;
    }

    /**
     * Sends a request to a broker after every request sent to it before, even while the connection is being made
     * (futures waiting on one connection would run in no particular order).
     */
    CompletableFuture<ApiMessage> send(ClusterView view, int brokerId, ApiMessage request, short version,
            boolean expectResponse) {
        return send(view, brokerId, request, null, version, expectResponse);
    }

    /** {@link #send(ClusterView, int, ApiMessage, short, boolean)} with the body as a client encoded it, if not null. */
    synchronized CompletableFuture<ApiMessage> send(ClusterView view, int brokerId, ApiMessage request,
            ByteBuffer encodedBody, short version, boolean expectResponse) {
        CompletableFuture<ApiMessage> sent = new CompletableFuture<>();
        CompletableFuture<KafkaChannel> handedOver = KafkaChannel.sendWhenConnected(channel(view, brokerId), request,
                encodedBody, version, expectResponse, sent);
        channels.put(brokerId, handedOver);
        inFlight.add(sent);
        sent.whenComplete((r, e) -> inFlight.remove(sent));
        return sent;
    }

    /**
     * Sends a request that expects an answer, unless the same request sent to that broker by {@code sendOrJoin} has
     * not been given to a client yet: its answer then serves this one too, and the broker is not asked twice. That
     * holds while it is awaited, and for {@link #HELD_ANSWER_MS} after it came if it is {@code worthHolding} (Fetch:
     * the client was answered with another leader's data first and asks this one the same again at once; reading the
     * data again would double the leaders' work and halve what each fetch carries). The caller says {@link #given}
     * once a client has it.
     */
    synchronized Awaited sendOrJoin(ClusterView view, int brokerId, ApiMessage request, short version,
            Predicate<ApiMessage> worthHolding) {
        Awaited last = joinable.get(brokerId);
        if (last != null && last.serves(request, version)) {
            return last;
        }
        Awaited awaited = new Awaited(request, version, send(view, brokerId, request, version, true));
        joinable.put(brokerId, awaited);
        awaited.answer.whenComplete((response, error) -> {
            if (error != null || !worthHolding.test(response)) {
                forget(brokerId, awaited);
            } else {
                synchronized (awaited) {
                    if (!awaited.given) {
                        awaited.forgetTimer = vertx.setTimer(HELD_ANSWER_MS, timer -> forget(brokerId, awaited));
                    }
                }
            }
        });
        return awaited;
    }

    /** A client was given this answer: it serves no later request. */
    void given(int brokerId, Awaited awaited) {
        synchronized (awaited) {
            awaited.given = true;
            if (awaited.forgetTimer >= 0) {
                vertx.cancelTimer(awaited.forgetTimer);
            }
        }
        forget(brokerId, awaited);
    }

    private synchronized void forget(int brokerId, Awaited awaited) {
        joinable.remove(brokerId, awaited);
    }

    /** The channel to a broker once the last request for it has been handed over; a new one if that one is gone. */
    private CompletableFuture<KafkaChannel> channel(ClusterView view, int brokerId) {
        CompletableFuture<KafkaChannel> channel = channels.get(brokerId);
        if (channel == null || channel.isCompletedExceptionally() || (channel.isDone() && !channel.join().isOpen())) {
            ClusterView.BrokerNode node = view.brokers().get(brokerId);
            if (node == null) {
                return CompletableFuture.failedFuture(new DisconnectException("broker " + brokerId + " is not alive"));
            }
            channel = KafkaChannel.connect(vertx, clientId, node.host(), node.port(), RequestDeadlines.KAFKA_DEFAULT,
                    login).toCompletionStage().toCompletableFuture();
            channels.put(brokerId, channel);
        }
        return channel;
    }

    /**
     * Closes the upstream connections once what the client sent has gone through: a client that disconnects right
     * after an acks=0 produce must not take its records with it.
     */
    @Override
    public void close() {
        List<CompletableFuture<KafkaChannel>> open;
        synchronized (this) {
            open = List.copyOf(channels.values());
            channels.clear();
            joinable.clear();
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                .handle((v, e) -> null)
                .thenRun(() -> open.forEach(c -> c.thenAccept(KafkaChannel::close)));
    }
}
