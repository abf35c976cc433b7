package io.sluice.gateway.routing;

import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.kafka.common.protocol.ApiMessage;

import io.sluice.protocol.contract.BrokerContract;
import io.sluice.protocol.net.KafkaServer;
import io.sluice.protocol.net.RequestLimits;
import io.vertx.core.Vertx;

/** A stand-in broker: a real Kafka listener on loopback that answers as the test says and keeps what it was asked. */
final class StandInBroker {

    private final int id;
    private final KafkaServer server;
    private final List<ApiMessage> received = new CopyOnWriteArrayList<>();
    private final List<ByteBuffer> receivedProduceBodies = new CopyOnWriteArrayList<>();
    private volatile Function<ApiMessage, CompletableFuture<ApiMessage>> answers = request -> new CompletableFuture<>();

    StandInBroker(Vertx vertx, int id) {
        this.id = id;
        this.server = new KafkaServer("broker-" + id, BrokerContract.APIS, (request, connection) -> {
            received.add(request.body());
            if (request.encodedBody() != null) {
                receivedProduceBodies.add(request.encodedBody());
            }
            return answers.apply(request.body());
        }, new RequestLimits(1024 * 1024, 64L << 20));
        server.listen(vertx, StandInCluster.HOST, 0).toCompletionStage().toCompletableFuture().join();
    }

    int id() {
        return id;
    }

    int port() {
        return server.port();
    }

    /** Answers every request at once with what {@code answer} makes of it. */
    <Q extends ApiMessage> void answers(Class<Q> type, Function<Q, ApiMessage> answer) {
        answersLater(type, request -> CompletableFuture.completedFuture(answer.apply(request)));
    }

    /** Answers every request when the future {@code answer} returns for it completes. */
    <Q extends ApiMessage> void answersLater(Class<Q> type, Function<Q, CompletableFuture<ApiMessage>> answer) {
        answers = request -> answer.apply(type.cast(request));
    }

    /** The bodies of the Produce requests this broker was sent, as they came over the wire. */
    List<ByteBuffer> receivedProduceBodies() {
        return receivedProduceBodies;
    }

    /** The requests of a type this broker was sent, in order. */
    <Q extends ApiMessage> List<Q> received(Class<Q> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The first request of a type this broker was sent, waiting for it: a gateway may answer its client first. */
    <Q extends ApiMessage> Q first(Class<Q> type) {
        await().until(() -> !received(type).isEmpty());
        return received(type).get(0);
    }

    /** Stops listening: the gateway's connections to it are refused from now on. */
    void stop() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }
}
