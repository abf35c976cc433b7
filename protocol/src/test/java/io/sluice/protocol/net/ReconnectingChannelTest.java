package io.sluice.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.SupportedApis;
import io.vertx.core.Vertx;

class ReconnectingChannelTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A server that accepts but never answers (paused) keeps its connection open: abandoning it moves to the next. */
    @Test
    void anAbandonedSilentServerFailsItsRequestsAndTheNextRequestGoesToTheNextServer() throws Exception {
        KafkaServer answering = answering();
        try (ServerSocket silent = new ServerSocket(0)) {
            ReconnectingChannel channel = new ReconnectingChannel(vertx, "test",
                    List.of("127.0.0.1:" + silent.getLocalPort(), "127.0.0.1:" + answering.port()));
            CompletableFuture<ApiMessage> unanswered = channel.send(new MetadataRequestData(), (short) 12);
            try (var accepted = silent.accept()) {
                accepted.setSoTimeout(5_000);
                assertThat(accepted.getInputStream().read()).as("the request reached the silent server").isNotNegative();
                assertThat(unanswered).isNotDone();
                channel.abandon();
                assertThat(unanswered).failsWithin(5, TimeUnit.SECONDS);

                ApiMessage answer = channel.send(new MetadataRequestData(), (short) 12).get(5, TimeUnit.SECONDS);
                assertThat(((MetadataResponseData) answer).clusterId()).isEqualTo("answering");
            }
        }
    }

    /**
     * Channels to the same servers give a silent one up together: one channel's abandon fails the requests under way on
     * every channel connected to it, and their next requests, as new channels', go to the next server first.
     */
    @Test
    void aServerOneChannelGivesUpIsGivenUpByEveryChannelToIt() throws Exception {
        KafkaServer answering = answering();
        try (ServerSocket silent = new ServerSocket(0)) {
            ActiveServer servers = new ActiveServer(
                    List.of("127.0.0.1:" + silent.getLocalPort(), "127.0.0.1:" + answering.port()));
            ReconnectingChannel watching = new ReconnectingChannel(vertx, "watching", servers, ChannelLogin.NONE);
            ReconnectingChannel client = new ReconnectingChannel(vertx, "client", servers, ChannelLogin.NONE);
            CompletableFuture<ApiMessage> watched = watching.send(new MetadataRequestData(), (short) 12);
            CompletableFuture<ApiMessage> clients = client.send(new MetadataRequestData(), (short) 12);
            try (var first = silent.accept(); var second = silent.accept()) {
                first.setSoTimeout(5_000);
                second.setSoTimeout(5_000);
                assertThat(first.getInputStream().read()).isNotNegative();
                assertThat(second.getInputStream().read()).isNotNegative();
                watching.abandon();
                assertThat(watched).failsWithin(5, TimeUnit.SECONDS);
                assertThat(clients).as("the other channel's request to the silent server").failsWithin(5,
                        TimeUnit.SECONDS);

                for (ReconnectingChannel channel : List.of(client,
                        new ReconnectingChannel(vertx, "new", servers, ChannelLogin.NONE))) {
                    ApiMessage answer = channel.send(new MetadataRequestData(), (short) 12).get(5, TimeUnit.SECONDS);
                    assertThat(((MetadataResponseData) answer).clusterId()).isEqualTo("answering");
                }
            }
        }
    }

    /** A server that answers every Metadata request at once, with the cluster id {@code answering}. */
    private KafkaServer answering() {
        KafkaServer server = new KafkaServer("answering",
                new SupportedApis(List.of(ApiVersionRange.of(ApiKeys.METADATA, 0, 12))),
                (request, connection) -> CompletableFuture.completedFuture(new MetadataResponseData()
                        .setClusterId("answering")),
                RequestLimits.control(1 << 20));
        server.listen(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
        return server;
    }
}
