package io.sluice.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sluice.protocol.codec.ApiVersionRange;
import io.sluice.protocol.codec.SupportedApis;
import io.vertx.core.Vertx;

class KafkaChannelTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** A peer that accepts and reads but never answers, as one that vanished without a reset looks. */
    @Test
    void aPeerThatNeverAnswersIsGivenUpWithinTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            KafkaChannel channel = KafkaChannel.connect(vertx, "test", "127.0.0.1", silent.getLocalPort(),
                    new RequestDeadlines(Duration.ofMillis(500))).toCompletionStage().toCompletableFuture().join();
            try (Socket accepted = silent.accept()) {
                long start = System.nanoTime();
                CompletableFuture<ApiMessage> answer = channel.send(new MetadataRequestData(), (short) 12);

                assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                assertThat(channel.isOpen()).isFalse();
            }
        }
    }

    /** A client's request decoded with tagged fields out of order cannot be forwarded: the client is at fault. */
    @Test
    void aRequestThatDoesNotEncodeFailsAsInvalid() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            KafkaChannel channel = KafkaChannel.connect(vertx, "test", "127.0.0.1", server.getLocalPort())
                    .toCompletionStage().toCompletableFuture().join();
            MetadataRequestData request = new MetadataRequestData();
            request.unknownTaggedFields().add(new RawTaggedField(7, new byte[0]));
            request.unknownTaggedFields().add(new RawTaggedField(3, new byte[0]));

            assertThatThrownBy(() -> channel.send(request, (short) 12).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(InvalidRequestException.class);
            assertThat(channel.isOpen()).isTrue();
        }
    }

    /**
     * Requests handed over while the connection is still being made go out in the order they were sent: futures
     * waiting on one connection would run newest first.
     */
    @Test
    void requestsHandedOverWhileConnectingKeepTheirOrder() throws Exception {
        List<String> received = new ArrayList<>();
        KafkaServer server = new KafkaServer("server",
                new SupportedApis(List.of(ApiVersionRange.of(ApiKeys.METADATA, 12, 12))), (request, connection) -> {
                    String tag = ((MetadataRequestData) request.body()).topics().get(0).name();
                    synchronized (received) {
                        received.add(tag);
                    }
                    return CompletableFuture.completedFuture(new MetadataResponseData().setClusterId(tag));
                }, new RequestLimits(1024 * 1024, 64L << 20));
        server.listen(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
        CompletableFuture<KafkaChannel> connecting = new CompletableFuture<>();
        List<CompletableFuture<ApiMessage>> answers = new ArrayList<>();
        CompletableFuture<KafkaChannel> last = connecting;
        for (int i = 0; i < 20; i++) {
            CompletableFuture<ApiMessage> answer = new CompletableFuture<>();
            MetadataRequestData request = new MetadataRequestData();
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("r" + i));
            last = KafkaChannel.sendWhenConnected(last, request, null, (short) 12, true, answer);
            answers.add(answer);
        }

        connecting.complete(KafkaChannel.connect(vertx, "test", "127.0.0.1", server.port()).toCompletionStage()
                .toCompletableFuture().join());

        for (int i = 0; i < answers.size(); i++) {
            assertThat(((MetadataResponseData) answers.get(i).get(10, TimeUnit.SECONDS)).clusterId()).isEqualTo("r" + i);
        }
        assertThat(received).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "r" + i).toList());
    }

    @Test
    void aLongPollIsGivenTheWaitItAsksFor() {
        RequestDeadlines deadlines = new RequestDeadlines(Duration.ofSeconds(30));

        assertThat(deadlines.timeout(new FetchRequestData().setMaxWaitMs(500))).isEqualTo(Duration.ofMillis(30_500));
        assertThat(deadlines.timeout(new FetchRequestData().setMaxWaitMs(-7))).isEqualTo(Duration.ofSeconds(30));
        assertThat(deadlines.timeout(new FetchRequestData().setMaxWaitMs(Integer.MAX_VALUE)))
                .isEqualTo(Duration.ofMinutes(10).plusSeconds(30));
    }
}
