package io.sluice.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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

    @Test
    void requestsSentWhileConnectingGoOutInTheOrderTheyWereSent() throws Exception {
        List<String> received = new ArrayList<>();
        KafkaServer server = new KafkaServer("server", new SupportedApis(List.of(ApiVersionRange.of(ApiKeys.METADATA,
                12, 12))), (request, connection) -> {
                    String tag = ((MetadataRequestData) request.body()).topics().get(0).name();
                    synchronized (received) {
                        received.add(tag);
                    }
                    return CompletableFuture.completedFuture(new MetadataResponseData().setClusterId(tag));
                }, 1024 * 1024);
        server.listen(vertx, "127.0.0.1", 0).toCompletionStage().toCompletableFuture().join();
        ReconnectingChannel channel = new ReconnectingChannel(vertx, "test", List.of("127.0.0.1:" + server.port()));

        List<CompletableFuture<ApiMessage>> answers = IntStream.range(0, 50)
                .mapToObj(i -> channel.send(metadata("r" + i), (short) 12)).toList();

        for (int i = 0; i < answers.size(); i++) {
            assertThat(((MetadataResponseData) answers.get(i).get(10, TimeUnit.SECONDS)).clusterId()).isEqualTo("r" + i);
        }
        assertThat(received).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "r" + i).toList());
        channel.close();
    }

    private static MetadataRequestData metadata(String tag) {
        MetadataRequestData body = new MetadataRequestData();
        body.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(tag));
        return body;
    }
}
